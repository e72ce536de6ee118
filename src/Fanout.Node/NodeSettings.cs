using System.Globalization;
using System.Reflection;
using Akka.Configuration;
using Microsoft.Extensions.Configuration;

namespace Fanout.Node;

/// <summary>
/// Turns the node's configuration (appsettings.json overlaid by environment variables of the same names)
/// into runtime options. Names follow the lighthouse's (ACTORSYSTEM, CLUSTER_*), plus FANOUT_* for Fanout's own.
/// </summary>
internal static class NodeSettings
{
    /// <exception cref="NodeSettingsException">A value is malformed or a file is missing; the message names the setting.</exception>
    public static FanoutRuntimeOptions From(IConfiguration config)
    {
        var options = new FanoutRuntimeOptions
        {
            SystemName = Text(config, "ACTORSYSTEM") ?? "fanout",
            Hostname = Text(config, "CLUSTER_IP") ?? "127.0.0.1",
            PublicHostname = Text(config, "CLUSTER_PUBLIC_HOSTNAME"),
            Port = Int(config, "CLUSTER_PORT", 0, 0, 65535),
            JoinTimeout = Seconds(config, "CLUSTER_JOIN_TIMEOUT", 30),
            DatabasePath = Text(config, "FANOUT_DB_PATH") ?? Path.Combine("fanout-data", "fanout.db"),
            ConnectionString = Text(config, "FANOUT_CONNECTION_STRING"),
            HttpHost = Text(config, "FANOUT_HTTP_HOST") ?? "127.0.0.1",
            HttpPublicUrl = PublicUrl(config, "FANOUT_HTTP_PUBLIC_URL"),
            HttpPort = Int(config, "FANOUT_HTTP_PORT", 8080, 0, 65535),
            PlacementTimeout = Seconds(config, "FANOUT_PLACEMENT_TIMEOUT", 300),
            DrainTimeout = Seconds(config, "FANOUT_DRAIN_TIMEOUT", 10, allowZero: true),
            ActionSlots = Int(config, "FANOUT_ACTION_SLOTS", 1_000, 1, int.MaxValue),
            MaxWaitingActions = Text(config, "FANOUT_MAX_WAITING_ACTIONS") is null ? null : Int(config, "FANOUT_MAX_WAITING_ACTIONS", 0, 0, int.MaxValue),
            MaxActionsInFlightPerRun = Int(config, "FANOUT_MAX_IN_FLIGHT_PER_RUN", 10_000, 1, int.MaxValue),
            LostAttemptRetries = Int(config, "FANOUT_LOST_ATTEMPT_RETRIES", 3, 0, 1_000),
            // Limits (README "Limits").
            MaxPayloadBytes = Int(config, "FANOUT_MAX_PAYLOAD_BYTES", 1024 * 1024, Protocol.WireLimits.MinPayloadBytes, Protocol.WireLimits.MaxPayloadBytes),
            MaxActionsPerRun = Int(config, "FANOUT_MAX_ACTIONS_PER_RUN", 10_000_000, 1, int.MaxValue),
            MaxRunsInFlight = Int(config, "FANOUT_MAX_RUNS_IN_FLIGHT", 200_000, 1, int.MaxValue),
            RunRetention = Age(config, "FANOUT_RUN_RETENTION"),
            // The host owns SIGTERM: it disposes the runtime (drain, hand-off, leave) and then exits. Akka's
            // own process-exit hook would start the same shutdown behind the host's back. An operator's extra
            // HOCON comes after it, so it wins where the two name the same key.
            AkkaConfig = "akka.coordinated-shutdown.run-by-clr-shutdown-hook = off\n" + ExtraHocon(config),
        };
        options.Journal = (Text(config, "FANOUT_JOURNAL") ?? "sqlite").ToLowerInvariant() switch
        {
            "sqlite" => FanoutJournal.Sqlite,
            "postgres" or "postgresql" => FanoutJournal.PostgreSql,
            var other => throw new NodeSettingsException($"FANOUT_JOURNAL '{other}' must be 'sqlite' or 'postgres'"),
        };
        if (options.Journal == FanoutJournal.PostgreSql && options.ConnectionString is null)
            throw new NodeSettingsException("FANOUT_JOURNAL is 'postgres' but FANOUT_CONNECTION_STRING is not set");

        // Schema (deploy): false for a node whose database role may not create tables; `migrate` makes them first.
        options.CreateSchema = Switch(config, "FANOUT_CREATE_SCHEMA", fallback: true);
        ReadHttpSecurity(config, options);

        // Remoting TLS (FANOUT_TLS_*): before the seeds are checked, whose scheme must match it.
        options.RemoteTls = NodeTlsSettings.From(config);

        foreach (var seed in List(config, "CLUSTER_SEEDS")) options.Seeds.Add(seed);
        foreach (var role in List(config, "CLUSTER_ROLES")) options.Roles.Add(role);
        foreach (var path in List(config, "FANOUT_TASK_ASSEMBLIES")) options.TaskAssemblies.Add(LoadTaskAssembly(path));

        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            throw new NodeSettingsException(Rename(e.Message), e);
        }
        return options;
    }

    private static Assembly LoadTaskAssembly(string path)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
            throw new NodeSettingsException($"FANOUT_TASK_ASSEMBLIES entry '{path}' does not exist (looked at {full})");
        try
        {
            return Assembly.LoadFrom(full);
        }
        catch (Exception e) when (e is BadImageFormatException or FileLoadException)
        {
            throw new NodeSettingsException($"FANOUT_TASK_ASSEMBLIES entry '{path}' is not a .NET assembly this node can load: {e.Message}", e);
        }
    }

    // Checked here so that a typo exits with code 2 naming the variable, not later as the runtime's option.
    private static string ExtraHocon(IConfiguration config)
    {
        if (Text(config, "FANOUT_AKKA_CONFIG") is not { } hocon) return "";
        try
        {
            ConfigurationFactory.ParseString(hocon);
        }
        catch (Exception e)
        {
            throw new NodeSettingsException($"FANOUT_AKKA_CONFIG is not valid HOCON: {e.Message}", e);
        }
        return hocon;
    }

    // ---- the HTTP API's security (README: "Securing the HTTP API") ----
    private static void ReadHttpSecurity(IConfiguration config, FanoutRuntimeOptions options)
    {
        options.ApiToken = Secret(config, "FANOUT_API_TOKEN");
        options.ApiViewerToken = Secret(config, "FANOUT_API_VIEWER_TOKEN");
        options.AllowAnonymousApi = Switch(config, "FANOUT_API_ALLOW_ANONYMOUS", fallback: false);
        options.HttpsCertificatePath = Text(config, "FANOUT_HTTPS_CERTIFICATE");
        options.HttpsCertificateKeyPath = Text(config, "FANOUT_HTTPS_KEY");
        options.HttpsCertificatePassword = Secret(config, "FANOUT_HTTPS_CERTIFICATE_PASSWORD");
        options.StartRateLimitPerSecond = Int(config, "FANOUT_START_RATE_LIMIT", options.StartRateLimitPerSecond, 0, 1_000_000);
    }

    /// <summary>An absolute URL, or null when unset; the runtime checks what it may be.</summary>
    private static Uri? PublicUrl(IConfiguration config, string key) => Text(config, key) is { } text
        ? Uri.TryCreate(text, UriKind.Absolute, out var url) ? url
            : throw new NodeSettingsException($"{key} '{text}' is not an absolute URL such as https://fanout.example.com/")
        : null;

    /// <summary>A secret from <paramref name="key"/> or from the file <c>KEY_FILE</c> names (a mounted secret), trimmed; never both.</summary>
    private static string? Secret(IConfiguration config, string key)
    {
        var value = Text(config, key);
        if (Text(config, key + "_FILE") is not { } path) return value;
        if (value is not null) throw new NodeSettingsException($"{key} and {key}_FILE are both set; set one");
        string content;
        try
        {
            content = File.ReadAllText(path).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new NodeSettingsException($"{key}_FILE '{path}' cannot be read: {e.Message}", e);
        }
        return content.Length > 0 ? content : throw new NodeSettingsException($"{key}_FILE '{path}' is empty");
    }

    private static readonly (string Option, string Variable)[] HttpSecurityNames =
    [
        ("ApiViewerToken", "FANOUT_API_VIEWER_TOKEN"), ("ApiToken", "FANOUT_API_TOKEN"), ("AllowAnonymousApi", "FANOUT_API_ALLOW_ANONYMOUS"),
        ("HttpsCertificatePassword", "FANOUT_HTTPS_CERTIFICATE_PASSWORD"), ("HttpsCertificateKeyPath", "FANOUT_HTTPS_KEY"),
        ("HttpsCertificatePath", "FANOUT_HTTPS_CERTIFICATE"), ("StartRateLimitPerSecond", "FANOUT_START_RATE_LIMIT"),
        ("HttpPublicUrl", "FANOUT_HTTP_PUBLIC_URL"),
    ];

    private static string RenameHttpSecurity(string message) =>
        HttpSecurityNames.Aggregate(message, (text, name) => text.Replace(name.Option, name.Variable, StringComparison.Ordinal));
    // ---- end of the HTTP API's security ----

    // The runtime's checks name its option; the operator set an environment variable.
    private static string Rename(string message) => RenameHttpSecurity(message)
        .Replace("Seeds entry", "CLUSTER_SEEDS entry", StringComparison.Ordinal)
        .Replace("Role '", "CLUSTER_ROLES entry '", StringComparison.Ordinal)
        .Replace("HttpHost '", "FANOUT_HTTP_HOST '", StringComparison.Ordinal)
        .Replace("Hostname '", "CLUSTER_IP '", StringComparison.Ordinal)
        .Replace("SystemName '", "ACTORSYSTEM '", StringComparison.Ordinal);

    private static string? Text(IConfiguration config, string key) =>
        config[key] is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    private static IEnumerable<string> List(IConfiguration config, string key) =>
        (Text(config, key) ?? "").Split([',', ';'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    private static int Int(IConfiguration config, string key, int fallback, int min, int max)
    {
        if (Text(config, key) is not { } text) return fallback;
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
            throw new NodeSettingsException($"{key} '{text}' must be a whole number from {min} to {max}");
        return value;
    }

    private static bool Switch(IConfiguration config, string key, bool fallback) => Text(config, key)?.ToLowerInvariant() switch
    {
        null => fallback,
        "true" or "1" or "yes" or "on" => true,
        "false" or "0" or "no" or "off" => false,
        var other => throw new NodeSettingsException($"{key} '{other}' must be true or false"),
    };

    // Unset or "off": runs are kept forever.
    private static TimeSpan? Age(IConfiguration config, string key)
    {
        if (Text(config, key) is not { } text || text.Equals("off", StringComparison.OrdinalIgnoreCase)) return null;
        if (Fanout.Runtime.Index.AgeText.TryParse(text, out var age, out var problem)) return age;
        throw new NodeSettingsException($"{key} {problem}, or 'off' to keep runs forever");
    }

    private static TimeSpan Seconds(IConfiguration config, string key, double fallback, bool allowZero = false)
    {
        if (Text(config, key) is not { } text) return TimeSpan.FromSeconds(fallback);
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) || seconds < 0 || seconds == 0 && !allowZero
            || seconds > 86_400)
            throw new NodeSettingsException($"{key} '{text}' must be a number of seconds ({(allowZero ? "0" : "more than 0")} to 86400)");
        return TimeSpan.FromSeconds(seconds);
    }
}

/// <summary>A node setting is missing or malformed.</summary>
internal sealed class NodeSettingsException(string message, Exception? inner = null) : Exception(message, inner);
