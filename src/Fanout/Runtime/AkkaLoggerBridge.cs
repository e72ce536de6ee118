using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Dispatch;
using Akka.Event;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fanout.Runtime;

/// <summary>Hands the logger factory to the Akka logger below through the actor system's setup.</summary>
internal sealed class LoggerFactorySetup(ILoggerFactory factory) : Setup
{
    public ILoggerFactory Factory { get; } = factory;
}

/// <summary>An Akka.NET logger that writes Akka's log events to Microsoft.Extensions.Logging.</summary>
internal sealed class AkkaLoggerBridge : ActorBase, IRequiresMessageQueue<ILoggerMessageQueueSemantics>
{
    private readonly ILoggerFactory _factory =
        Context.System.Settings.Setup.Get<LoggerFactorySetup>().Value?.Factory ?? NullLoggerFactory.Instance;

    protected override bool Receive(object message)
    {
        switch (message)
        {
            case InitializeLogger:
                Sender.Tell(new LoggerInitialized());
                return true;
            case LogEvent log:
                Write(log);
                return true;
            default:
                return false;
        }
    }

    private void Write(LogEvent log)
    {
        // Akka logs many messages against a placeholder class; those read better under plain "Akka".
        var category = log.LogClass is null || log.LogClass.Name.StartsWith("DummyClass", StringComparison.Ordinal)
            ? "Akka"
            : $"Akka.{log.LogClass.Name}";
        var logger = _factory.CreateLogger(category);
        var level = log.LogLevel() switch
        {
            Akka.Event.LogLevel.DebugLevel => Microsoft.Extensions.Logging.LogLevel.Debug,
            Akka.Event.LogLevel.InfoLevel => Microsoft.Extensions.Logging.LogLevel.Information,
            Akka.Event.LogLevel.WarningLevel => Microsoft.Extensions.Logging.LogLevel.Warning,
            _ => Microsoft.Extensions.Logging.LogLevel.Error,
        };
        if (!logger.IsEnabled(level)) return;
        logger.Log(level, log.Cause, "[{LogSource}] {Message}", log.LogSource, log.Message);
    }
}
