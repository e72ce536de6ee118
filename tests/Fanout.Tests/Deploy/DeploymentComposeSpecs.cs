using Fanout.Tests.Deploy.Support;
using Fanout.Tests.Support;
using YamlDotNet.RepresentationModel;
using static Fanout.Tests.Deploy.Support.Yaml;

namespace Fanout.Tests.Deploy;

/// <summary>
/// docker-compose.yml as docker-compose reads it (`docker-compose config`, no Docker engine): secured by default, and
/// refusing to render without the secrets it must not carry.
/// </summary>
public sealed class DeploymentComposeSpecs
{
    /// <summary>The variables compose requires, with values no committed file holds, so their presence in the output proves where they came from.</summary>
    private static readonly Dictionary<string, string> Required = new()
    {
        ["FANOUT_API_TOKEN"] = "operator-token-from-the-environment",
        ["FANOUT_API_VIEWER_TOKEN"] = "viewer-token-from-the-environment",
        ["FANOUT_DB_OWNER_PASSWORD"] = "owner-password-from-the-environment",
        ["FANOUT_DB_PASSWORD"] = "app-password-from-the-environment",
    };

    private static readonly string[] Workers = ["worker1", "worker2", "worker3"];

    [Fact]
    public async Task Compose_renders_postgres_a_migration_a_lighthouse_and_three_workers_secured_by_default()
    {
        var services = Get(await ConfigAsync(Required), "services");
        var version = DeploymentImageSpecs.Version;

        var postgres = Get(services, "postgres");
        Assert.Equal("postgres:15", Text(postgres, "image"));
        Assert.Contains("pg_isready", string.Join(" ", Items(Get(postgres, "healthcheck", "test")).Select(Scalar)));
        Assert.Null(Get(postgres, "ports"));
        var owner = Text(postgres, "environment", "POSTGRES_USER");
        var database = Text(postgres, "environment", "POSTGRES_DB");
        Assert.Equal(Required["FANOUT_DB_OWNER_PASSWORD"], Text(postgres, "environment", "POSTGRES_PASSWORD"));
        Assert.Equal(Required["FANOUT_DB_PASSWORD"], Text(postgres, "environment", "FANOUT_DB_PASSWORD"));
        // The workers' role is made by the init script on the first start.
        Assert.Contains(Items(Get(postgres, "volumes")), v =>
        {
            var (source, target, readOnly) = Volume(v);
            return source.EndsWith("/deploy/k8s/postgres/init-restricted-role.sh", StringComparison.Ordinal)
                   && target.StartsWith("/docker-entrypoint-initdb.d/", StringComparison.Ordinal) && readOnly;
        });

        var migrate = Get(services, "migrate");
        Assert.Equal($"fanout/node:{version}", Text(migrate, "image"));
        Assert.Equal("node", Text(migrate, "build", "target"));
        Assert.Equal(["migrate"], Items(Get(migrate, "command")).Select(Scalar));
        Assert.Equal("no", Text(migrate, "restart"));
        Assert.Equal("service_healthy", Text(migrate, "depends_on", "postgres", "condition"));
        var ownerConnection = Text(migrate, "environment", "FANOUT_CONNECTION_STRING");
        Assert.Contains($"Username={owner};", ownerConnection);
        Assert.Contains($"Password={Required["FANOUT_DB_OWNER_PASSWORD"]};", ownerConnection);

        var lighthouse = Get(services, "lighthouse");
        Assert.Equal($"fanout/lighthouse:{version}", Text(lighthouse, "image"));
        Assert.Equal("deploy/lighthouse.Dockerfile", Text(lighthouse, "build", "dockerfile"));
        // The lighthouse binds CLUSTER_IP and is known by it: the service name, which is also its seed address.
        Assert.Equal("lighthouse", Text(lighthouse, "environment", "CLUSTER_IP"));
        var seed = $"akka.ssl.tcp://fanout@lighthouse:{Text(lighthouse, "environment", "CLUSTER_PORT")}";
        var lighthouseSeeds = Text(lighthouse, "environment", "CLUSTER_SEEDS").Split(',');
        Assert.Contains(seed, lighthouseSeeds);
        Assert.All(lighthouseSeeds, s => Assert.StartsWith("akka.ssl.tcp://", s));
        AssertRemotingTls(lighthouse, "lighthouse");

        Assert.Equal(Workers, Names(services).Where(name => name.StartsWith("worker", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        var publishedPorts = new List<string>();
        foreach (var name in Workers)
        {
            var worker = Get(services, name);
            Assert.Equal($"fanout/node-samples:{version}", Text(worker, "image"));
            Assert.Equal("deploy/node.Dockerfile", Text(worker, "build", "dockerfile"));
            Assert.Equal("node-samples", Text(worker, "build", "target"));
            Assert.Equal(version, Text(worker, "build", "args", "FANOUT_VERSION"));
            Assert.True(Text(worker, "environment", "FANOUT_JOURNAL") == "postgres", $"{name}: FANOUT_JOURNAL is not postgres");
            var connection = Text(worker, "environment", "FANOUT_CONNECTION_STRING");
            Assert.Contains("Host=postgres;", connection);
            Assert.Contains($"Database={database}", connection);
            Assert.Contains($"Password={Required["FANOUT_DB_PASSWORD"]};", connection);
            // Not the owner: the role init-restricted-role.sh makes (its default name), which may not create tables.
            Assert.Contains("Username=fanout;", connection);
            Assert.DoesNotContain($"Username={owner};", connection);
            Assert.Contains("app_role=\"${FANOUT_DB_USER:-fanout}\"", await File.ReadAllTextAsync(Path.Combine(DeployTools.Root, "deploy/k8s/postgres/init-restricted-role.sh")));
            Assert.Equal("false", Text(worker, "environment", "FANOUT_CREATE_SCHEMA"));
            Assert.Equal("service_completed_successfully", Text(worker, "depends_on", "migrate", "condition"));
            Assert.NotNull(Get(worker, "depends_on", "lighthouse"));

            Assert.Equal(seed, Text(worker, "environment", "CLUSTER_SEEDS"));
            Assert.Equal(name, Text(worker, "environment", "CLUSTER_PUBLIC_HOSTNAME"));
            AssertRemotingTls(worker, name);

            Assert.Equal("0.0.0.0", Text(worker, "environment", "FANOUT_HTTP_HOST"));
            Assert.Equal(Required["FANOUT_API_TOKEN"], Text(worker, "environment", "FANOUT_API_TOKEN"));
            Assert.Equal(Required["FANOUT_API_VIEWER_TOKEN"], Text(worker, "environment", "FANOUT_API_VIEWER_TOKEN"));
            Assert.Contains("/health/ready", string.Join(" ", Items(Get(worker, "healthcheck", "test")).Select(Scalar)));
            Assert.Equal("unless-stopped", Text(worker, "restart"));
            Assert.Equal("45s", Text(worker, "stop_grace_period"));

            var port = Assert.Single(Items(Get(worker, "ports")));
            var (hostIp, published, target) = port is YamlScalarNode shortForm
                ? (shortForm.Value!.Split(':')[0], shortForm.Value.Split(':')[^2], shortForm.Value.Split(':')[^1].Split('/')[0])
                : (Text(port, "host_ip"), Text(port, "published"), Text(port, "target"));
            Assert.True(hostIp == "127.0.0.1", $"{name}: its HTTP API is published on {hostIp}, not on 127.0.0.1 alone");
            Assert.Equal(Text(worker, "environment", "FANOUT_HTTP_PORT"), target);
            publishedPorts.Add(published);
        }
        Assert.Equal(["8081", "8082", "8083"], publishedPorts);

        foreach (var name in new[] { "migrate", "lighthouse" }.Concat(Workers))
            AssertHardened(Get(services, name)!, name);
        foreach (var name in Names(services))
        {
            var image = Text(Get(services, name), "image");
            Assert.True(image.Contains(':', StringComparison.Ordinal) && !image.EndsWith(":latest", StringComparison.Ordinal), $"{name}: image {image} is not tagged by version");
        }
    }

    [Theory]
    [InlineData("FANOUT_API_TOKEN")]
    [InlineData("FANOUT_API_VIEWER_TOKEN")]
    [InlineData("FANOUT_DB_OWNER_PASSWORD")]
    [InlineData("FANOUT_DB_PASSWORD")]
    public async Task Compose_refuses_to_render_without_a_secret_naming_its_variable(string missing)
    {
        var environment = Required.Where(kv => kv.Key != missing).ToDictionary(kv => kv.Key, kv => (string?)kv.Value);
        environment[missing] = null;

        var (exitCode, output) = await RunComposeAsync(environment, "config");

        Assert.True(exitCode != 0, $"docker-compose config rendered without {missing}:\n{output}");
        Assert.Contains($"set {missing}", output);
    }

    [Fact]
    public async Task The_compose_file_holds_no_password_or_token_and_mounts_no_key_of_the_CA()
    {
        var text = await File.ReadAllTextAsync(Path.Combine(DeployTools.Root, "docker-compose.yml"));
        // Every value of a *PASSWORD or *TOKEN key, and every Password= in a connection string, is a required variable.
        var values = new List<(string Line, string Value)>();
        foreach (var line in text.Split('\n').Where(l => !l.TrimStart().StartsWith('#')))
        {
            if (System.Text.RegularExpressions.Regex.Match(line, @"^\s*[A-Z_]*(PASSWORD|TOKEN):\s*(.*)$") is { Success: true } key)
                values.Add((line, key.Groups[2].Value));
            foreach (System.Text.RegularExpressions.Match password in System.Text.RegularExpressions.Regex.Matches(line, @"Password=(\$\{[^}]*\}|[^;]*)"))
                values.Add((line, password.Groups[1].Value));
        }
        Assert.True(values.Count >= 6, $"docker-compose.yml: found only {values.Count} secret values to check");
        foreach (var (line, value) in values)
            Assert.True(System.Text.RegularExpressions.Regex.IsMatch(value, @"^\$\{[A-Z_]+:\?[^}]+\}"),
                $"docker-compose.yml: '{line.Trim()}' sets a secret to something other than a required variable");

        var secrets = Get(await ConfigAsync(Required), "secrets");
        var files = Names(secrets).Select(name => Path.GetFileName(Text(secrets, name, "file"))).ToList();
        Assert.Contains("ca.crt", files);
        Assert.Contains("pfx-password", files);
        Assert.DoesNotContain(files, f => f.EndsWith(".key", StringComparison.Ordinal));
        Assert.All(Names(secrets), name => Assert.Contains("/deploy/certs/", Text(secrets, name, "file")));
    }

    private static void AssertRemotingTls(YamlNode? service, string name)
    {
        Assert.Equal("/run/secrets/node.pfx", Text(service, "environment", "FANOUT_TLS_CERTIFICATE"));
        Assert.Equal("/run/secrets/pfx-password", Text(service, "environment", "FANOUT_TLS_CERTIFICATE_PASSWORD_FILE"));
        Assert.Equal("/run/secrets/ca.crt", Text(service, "environment", "FANOUT_TLS_CA"));
        var secrets = Items(Get(service, "secrets")).ToList();
        Assert.Contains(secrets, s => Text(s, "source") == $"{name}-pfx" && Text(s, "target") == "node.pfx");
        Assert.Contains(secrets, s => Text(s, "source") == "ca.crt");
        Assert.Contains(secrets, s => Text(s, "source") == "pfx-password");
    }

    private static void AssertHardened(YamlNode service, string name)
    {
        Assert.True(Get(service, "read_only") is YamlScalarNode { Value: "true" }, $"{name}: its root filesystem is not read_only");
        Assert.Contains("/tmp", Items(Get(service, "tmpfs")).Select(Scalar));
        Assert.Contains("ALL", Items(Get(service, "cap_drop")).Select(Scalar));
        Assert.Contains("no-new-privileges:true", Items(Get(service, "security_opt")).Select(Scalar));
    }

    private static (string Source, string Target, bool ReadOnly) Volume(YamlNode volume) => volume is YamlScalarNode s
        ? (s.Value!.Split(':')[0], s.Value.Split(':')[1], s.Value.EndsWith(":ro", StringComparison.Ordinal))
        : (Text(volume, "source"), Text(volume, "target"), Get(volume, "read_only") is YamlScalarNode { Value: "true" });

    private static async Task<YamlNode> ConfigAsync(IReadOnlyDictionary<string, string> environment)
    {
        var (exitCode, output) = await RunComposeAsync(environment.ToDictionary(kv => kv.Key, kv => (string?)kv.Value), "config");
        Assert.True(exitCode == 0, $"docker-compose config exited {exitCode}:\n{output}");
        var yaml = new YamlStream();
        yaml.Load(new StringReader(output));
        return OnlyDocument(yaml);
    }

    /// <summary>
    /// docker-compose on the repository's file with exactly these variables: an empty --env-file, so a developer's .env
    /// (which compose-init.sh writes) does not stand in for them, and FANOUT_VERSION unset, so its default is read.
    /// </summary>
    private static async Task<(int ExitCode, string Output)> RunComposeAsync(Dictionary<string, string?> environment, params string[] args)
    {
        using var folder = new TempDirectory();
        var emptyEnvFile = folder.File("empty.env");
        await File.WriteAllTextAsync(emptyEnvFile, "");
        environment["FANOUT_VERSION"] = null;
        return await DeployTools.Run("docker-compose", DeployTools.ComposeInstall, environment,
            ["--env-file", emptyEnvFile, "-f", Path.Combine(DeployTools.Root, "docker-compose.yml"), .. args]);
    }
}
