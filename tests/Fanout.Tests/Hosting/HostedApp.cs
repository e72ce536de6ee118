using Fanout.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Fanout.Tests.Hosting;

/// <summary>A real generic host the way an app builds one: its configuration from key/values, its services from the spec.</summary>
public sealed class HostedApp : IAsyncDisposable
{
    private static readonly TimeSpan StartWithin = TimeSpan.FromSeconds(90);

    private bool _started;

    private HostedApp(IHost host, CapturedLog log)
    {
        Host = host;
        Log = log;
    }

    /// <summary>What the app logged (Fanout's and Akka's messages at Information and above), for a failing spec to show.</summary>
    public CapturedLog Log { get; }

    public IHost Host { get; }

    public IServiceProvider Services => Host.Services;

    /// <summary>Builds the host with <paramref name="settings"/> as its configuration and starts it.</summary>
    public static async Task<HostedApp> StartAsync(IDictionary<string, string?> settings, Action<IConfiguration, IServiceCollection> services)
    {
        var app = Build(settings, services);
        try
        {
            using var timeout = new CancellationTokenSource(StartWithin);
            await app.Host.StartAsync(timeout.Token);
            app._started = true;
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
        return app;
    }

    /// <summary>Builds the host without starting it, for the specs of a start that must fail.</summary>
    public static HostedApp Build(IDictionary<string, string?> settings, Action<IConfiguration, IServiceCollection> services)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            DisableDefaults = true,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.AddInMemoryCollection(settings);
        var log = new CapturedLog();
        builder.Logging.SetMinimumLevel(LogLevel.Information).AddProvider(log);
        services(builder.Configuration, builder.Services);
        return new HostedApp(builder.Build(), log);
    }

    /// <summary>Stops the host if it started (a host whose start failed has nothing to stop), then disposes it.</summary>
    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            if (_started) await Host.StopAsync(timeout.Token);
        }
        finally
        {
            if (Host is IAsyncDisposable disposable) await disposable.DisposeAsync();
            else Host.Dispose();
        }
    }
}
