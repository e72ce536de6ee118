using Microsoft.Extensions.Configuration;

namespace Fanout.Hosting;

/// <summary>
/// Reads Fanout's options from a configuration section (appsettings.json's <c>"Fanout"</c>, environment variables such
/// as <c>Fanout__HttpPort</c>, ...). Keys are the options' property names: <c>Fanout:Seeds:0</c>, <c>Fanout:Roles:0</c>,
/// <c>Fanout:Journal</c> (<c>Sqlite</c> or <c>PostgreSql</c>, also <c>Postgres</c>), <c>Fanout:DatabasePath</c>,
/// <c>Fanout:ConnectionString</c>, <c>Fanout:HttpPort</c>, <c>Fanout:JoinTimeout</c> (<c>00:00:30</c>),
/// <c>Fanout:TaskAssemblies:0</c> (an assembly name), <c>Fanout:RemoteTls:CertificatePath</c>, ... A value that does
/// not parse, one the options' own checks refuse, and a key that names no setting (a typo must not be ignored) are
/// each a <see cref="FanoutConfigurationException"/> naming the key.
/// </summary>
public static class FanoutConfiguration
{
    /// <summary>A runtime node's options (<see cref="FanoutRuntime.StartEmbeddedAsync"/>, <c>WithFanoutWorker</c>) from <paramref name="section"/>, checked.</summary>
    /// <exception cref="FanoutConfigurationException">A key is unknown or its value is bad; the message names the key.</exception>
    public static FanoutRuntimeOptions ReadRuntimeOptions(IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(section);
        var options = Read<FanoutRuntimeOptions>(section);
        Validate(options, section, HostedRole.Embedded);
        return options;
    }

    /// <summary>A client member's options (<see cref="FanoutClient.ConnectAsync(FanoutClientOptions, CancellationToken)"/>, <c>WithFanoutClient</c>) from <paramref name="section"/>, checked.</summary>
    /// <exception cref="FanoutConfigurationException">A key is unknown or its value is bad; the message names the key.</exception>
    public static FanoutClientOptions ReadClientOptions(IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(section);
        var options = Read<FanoutClientOptions>(section);
        Validate(options, section, HostedRole.Client);
        return options;
    }

    /// <summary>New options with what <paramref name="section"/> sets (null: the defaults), not yet checked.</summary>
    internal static TOptions Read<TOptions>(IConfiguration? section) where TOptions : new()
    {
        var options = new TOptions();
        if (section is not null) OptionsBinder.Bind(options, section, SectionPath(section));
        return options;
    }

    /// <summary>Runs the options' own checks and names the configuration key of what they refuse.</summary>
    internal static void Validate(object options, IConfiguration? section, HostedRole role)
    {
        var path = section is null ? "Fanout" : SectionPath(section);
        if (role == HostedRole.Worker && options is FanoutRuntimeOptions { Seeds.Count: 0 })
            throw new FanoutConfigurationException($"{path}:{nameof(FanoutRuntimeOptions.Seeds)}",
                "a worker joins a cluster: name at least one seed node (akka.tcp://fanout@host:port); AddFanoutEmbedded runs a cluster of one");
        try
        {
            switch (options)
            {
                case FanoutRuntimeOptions runtime: runtime.Validate(); break;
                case FanoutClientOptions client: client.Validate(); break;
            }
        }
        catch (ArgumentException e)
        {
            var setting = e.ParamName ?? "";
            var key = setting.Length == 0 ? path : $"{path}:{setting.Replace('.', ':')}";
            throw new FanoutConfigurationException(key, OwnMessage(e), e);
        }
    }

    // ArgumentException appends " (Parameter 'X')" and, out of range, the actual value: the key says the first, the text the second.
    private static string OwnMessage(ArgumentException e)
    {
        var message = e.Message;
        var parameter = message.IndexOf(" (Parameter '", StringComparison.Ordinal);
        var own = parameter < 0 ? message : message[..parameter];
        return e is ArgumentOutOfRangeException { ActualValue: { } actual } ? $"{own} (it is {actual})" : own;
    }

    private static string SectionPath(IConfiguration section) => section is IConfigurationSection { Path.Length: > 0 } s ? s.Path : "Fanout";
}
