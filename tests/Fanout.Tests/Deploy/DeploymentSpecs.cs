using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json;
using Fanout.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace Fanout.Tests.Deploy;

/// <summary>
/// The deployment files, checked offline (no Docker engine or Kubernetes cluster): docker-compose.yml as
/// docker-compose reads it, the kustomizations as kubectl renders them, and the Dockerfiles as text.
/// docker-compose and kubectl must be on PATH; a missing one fails the spec and says how to install it.
/// </summary>
public sealed class DeploymentSpecs
{
    private static readonly string Root = FindRepositoryRoot();

    private const string ComposeInstall =
        "run the tests with tests/run.sh, which installs it as root, or install Debian's package: " +
        "`apt-get install -y --no-install-recommends docker-compose` " +
        "(only the client is needed: `docker-compose config` reads the file without a Docker engine)";

    private const string KubectlInstall =
        "run the tests with tests/run.sh, which installs kubectl 1.32 as root. " +
        "It must be 1.21 or later: older clients (Debian's kubernetes-client 1.20) embed a kustomize that cannot take folders as resources";

    // --- docker-compose.yml ----------------------------------------------------------------------------

    [Fact]
    public async Task Docker_compose_accepts_the_compose_file_with_postgres_a_lighthouse_and_three_workers_on_the_postgres_journal()
    {
        var config = await Run("docker-compose", ComposeInstall, "-f", Path.Combine(Root, "docker-compose.yml"), "config");
        var services = Get(OnlyDocument(config), "services");

        var postgres = Get(services, "postgres");
        Assert.Equal("postgres:15", Text(postgres, "image"));
        Assert.Contains("pg_isready", string.Join(" ", Items(Get(postgres, "healthcheck", "test")).Select(Scalar)));
        Assert.NotEmpty(Items(Get(postgres, "volumes")));
        var databaseUser = Text(postgres, "environment", "POSTGRES_USER");
        var database = Text(postgres, "environment", "POSTGRES_DB");

        var lighthouse = Get(services, "lighthouse");
        Assert.Equal("deploy/lighthouse.Dockerfile", Text(lighthouse, "build", "dockerfile"));
        // The lighthouse binds CLUSTER_IP and is known by it: the service name, which is also its seed address.
        Assert.Equal("lighthouse", Text(lighthouse, "environment", "CLUSTER_IP"));
        var seed = $"akka.tcp://fanout@lighthouse:{Text(lighthouse, "environment", "CLUSTER_PORT")}";
        Assert.Contains(seed, Text(lighthouse, "environment", "CLUSTER_SEEDS").Split(','));

        var workers = Names(services).Where(name => name.StartsWith("worker", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["worker1", "worker2", "worker3"], workers);
        var publishedPorts = new List<string>();
        foreach (var name in workers)
        {
            var worker = Get(services, name);
            Assert.Equal("deploy/node.Dockerfile", Text(worker, "build", "dockerfile"));
            Assert.True(Text(worker, "environment", "FANOUT_JOURNAL") == "postgres", $"{name}: FANOUT_JOURNAL is not postgres");
            var connection = Text(worker, "environment", "FANOUT_CONNECTION_STRING");
            Assert.Contains("Host=postgres;", connection);
            Assert.Contains($"Username={databaseUser};", connection);
            Assert.Contains($"Database={database}", connection);
            Assert.Equal(seed, Text(worker, "environment", "CLUSTER_SEEDS"));
            Assert.Equal(name, Text(worker, "environment", "CLUSTER_PUBLIC_HOSTNAME"));
            Assert.Equal("0.0.0.0", Text(worker, "environment", "FANOUT_HTTP_HOST"));
            Assert.Equal("service_healthy", Text(worker, "depends_on", "postgres", "condition"));
            Assert.NotNull(Get(worker, "depends_on", "lighthouse"));
            Assert.Equal("unless-stopped", Text(worker, "restart"));
            Assert.Equal("45s", Text(worker, "stop_grace_period"));

            var port = Assert.Single(Items(Get(worker, "ports")));
            var (published, target) = port is YamlScalarNode shortForm
                ? (shortForm.Value!.Split(':')[^2], shortForm.Value.Split(':')[^1])
                : (Text(port, "published"), Text(port, "target"));
            Assert.Equal(Text(worker, "environment", "FANOUT_HTTP_PORT"), target);
            publishedPorts.Add(published);
        }
        Assert.Equal(["8081", "8082", "8083"], publishedPorts);
    }

    // --- deploy/k8s ------------------------------------------------------------------------------------

    [Fact]
    public async Task The_default_kustomization_renders_the_cluster_and_a_postgres_server_with_the_secret_the_workers_read()
    {
        var objects = await Kustomize("deploy/k8s");

        AssertTheCluster(objects);

        var postgres = Find(objects, "StatefulSet", "postgres");
        Assert.Equal("postgres:15", Text(Container(postgres), "image"));
        AssertRunsAsNonRoot(postgres);
        Assert.NotNull(Find(objects, "Service", "postgres"));
        var secret = Find(objects, "Secret", "fanout-db");
        var connection = Text(secret, "stringData", "connection-string");
        Assert.Contains("Host=postgres;", connection);
        Assert.Contains("Port=5432;", connection);
        Assert.NotNull(Find(objects, "Secret", "postgres-credentials"));
    }

    [Fact]
    public async Task The_external_db_kustomization_renders_the_cluster_alone_reading_the_connection_string_from_an_existing_secret()
    {
        var objects = await Kustomize("deploy/k8s/external-db");

        AssertTheCluster(objects);

        Assert.DoesNotContain(objects, o => Text(o, "metadata", "name") == "postgres");
        // The Secret is the operator's, made beforehand; rendering one would overwrite it.
        Assert.DoesNotContain(objects, o => Text(o, "kind") == "Secret");
    }

    /// <summary>What both variants deploy: lighthouses with stable names that the seeds list, and workers that drain and leave.</summary>
    private static void AssertTheCluster(IReadOnlyList<YamlNode> objects)
    {
        Assert.NotNull(Find(objects, "Namespace", "fanout"));
        foreach (var o in objects.Where(o => Text(o, "kind") != "Namespace"))
            Assert.Equal("fanout", Text(o, "metadata", "namespace"));

        var headless = Find(objects, "Service", "lighthouse");
        Assert.Equal("None", Text(headless, "spec", "clusterIP"));
        var lighthouses = Find(objects, "StatefulSet", "lighthouse");
        Assert.Equal("lighthouse", Text(lighthouses, "spec", "serviceName"));
        Assert.Equal("fanout/lighthouse:latest", Text(Container(lighthouses), "image"));
        AssertRunsAsNonRoot(lighthouses);
        // Each lighthouse binds and is known by its pod's stable DNS name, and every one of them is a seed.
        Assert.Equal("$(POD_NAME).lighthouse.$(POD_NAMESPACE).svc.cluster.local", EnvValue(Container(lighthouses), "CLUSTER_IP"));
        var config = Find(objects, "ConfigMap", "fanout-config");
        var seeds = Text(config, "data", "CLUSTER_SEEDS").Split(',');
        var replicas = int.Parse(Text(lighthouses, "spec", "replicas"), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(
            Enumerable.Range(0, replicas).Select(i => $"akka.tcp://fanout@lighthouse-{i}.lighthouse.fanout.svc.cluster.local:4053"),
            seeds);
        Assert.Equal("postgres", Text(config, "data", "FANOUT_JOURNAL"));

        var workers = Find(objects, "Deployment", "worker");
        Assert.Equal("3", Text(workers, "spec", "replicas"));
        var node = Container(workers);
        Assert.Equal("fanout/node:latest", Text(node, "image"));
        AssertRunsAsNonRoot(workers);
        foreach (var probe in new[] { "readinessProbe", "livenessProbe" })
            Assert.True(Get(node, probe, "httpGet", "path") is YamlScalarNode { Value: "/health" }, $"the worker's {probe} is not GET /health");
        Assert.True(Get(node, "lifecycle", "preStop") is YamlMappingNode, "the worker container has no lifecycle.preStop hook");
        var grace = int.Parse(Text(workers, "spec", "template", "spec", "terminationGracePeriodSeconds"), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(grace, 30, 120);
        Assert.Equal("fanout-config", Text(Assert.Single(Items(Get(node, "envFrom"))), "configMapRef", "name"));
        Assert.Equal("status.podIP", Text(EnvEntry(node, "CLUSTER_PUBLIC_HOSTNAME"), "valueFrom", "fieldRef", "fieldPath"));
        var secretRef = Get(EnvEntry(node, "FANOUT_CONNECTION_STRING"), "valueFrom", "secretKeyRef");
        Assert.Equal("fanout-db", Text(secretRef, "name"));
        Assert.Equal("connection-string", Text(secretRef, "key"));

        var api = Find(objects, "Service", "fanout-api");
        Assert.Equal("worker", Text(api, "spec", "selector", "app.kubernetes.io/component"));
        Assert.Equal("http", Text(Items(Get(api, "spec", "ports")).Single(), "targetPort"));
    }

    private static void AssertRunsAsNonRoot(YamlNode workload)
    {
        var security = Get(workload, "spec", "template", "spec", "securityContext");
        Assert.True(Get(security, "runAsNonRoot") is YamlScalarNode { Value: "true" },
            $"{Text(workload, "kind")} {Text(workload, "metadata", "name")}: its pod's securityContext does not say runAsNonRoot: true");
        Assert.NotEqual("0", Text(security, "runAsUser"));
    }

    private static async Task<IReadOnlyList<YamlNode>> Kustomize(string folder)
    {
        var output = await Run("kubectl", KubectlInstall, "kustomize", Path.Combine(Root, folder));
        return output.Documents.Select(d => d.RootNode).ToList();
    }

    private static YamlNode Find(IEnumerable<YamlNode> objects, string kind, string name) =>
        objects.SingleOrDefault(o => Text(o, "kind") == kind && Text(o, "metadata", "name") == name)
        ?? throw new Xunit.Sdk.XunitException($"no {kind} named {name} in the rendered objects");

    private static YamlNode Container(YamlNode workload) => Assert.Single(Items(Get(workload, "spec", "template", "spec", "containers")));

    private static YamlNode EnvEntry(YamlNode container, string name) =>
        Items(Get(container, "env")).SingleOrDefault(e => Text(e, "name") == name)
        ?? throw new Xunit.Sdk.XunitException($"the container sets no {name}");

    private static string EnvValue(YamlNode container, string name) => Text(EnvEntry(container, name), "value");

    // --- Dockerfiles -----------------------------------------------------------------------------------

    [Theory]
    [InlineData("deploy/lighthouse.Dockerfile", "lighthouse/Lighthouse.csproj", "Fanout.Lighthouse.dll")]
    [InlineData("deploy/node.Dockerfile", "src/Fanout.Node/Fanout.Node.csproj", "Fanout.Node.dll")]
    public void A_Dockerfile_publishes_in_the_SDK_image_and_runs_the_program_on_the_ASP_NET_runtime_as_a_non_root_user(
        string dockerfile, string project, string dll)
    {
        var stages = Stages(dockerfile);

        Assert.True(stages.Count >= 2, $"{dockerfile}: a multi-stage build (FROM ... AS build, then the runtime)");
        Assert.StartsWith("mcr.microsoft.com/dotnet/sdk:10.0 ", stages[0].From + " ");
        var publish = stages[0].Lines.Where(l => l.StartsWith("RUN ", StringComparison.Ordinal) && l.Contains("dotnet publish", StringComparison.Ordinal)).ToList();
        Assert.Contains(publish, l => l.Contains($"dotnet publish {project} -c Release", StringComparison.Ordinal));
        // What the build stage copies from the context is in the repository (a renamed file breaks the image).
        foreach (var copy in stages[0].Lines.Where(l => l.StartsWith("COPY ", StringComparison.Ordinal)))
        {
            var sources = copy.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..^1];
            foreach (var source in sources)
                Assert.True(File.Exists(Path.Combine(Root, source)) || Directory.Exists(Path.Combine(Root, source)), $"{dockerfile}: '{copy}' copies {source}, which the repository does not have");
        }

        var runtime = stages[^1];
        Assert.StartsWith("mcr.microsoft.com/dotnet/aspnet:10.0 ", runtime.From + " ");
        Assert.Contains(runtime.Lines, l => l.StartsWith("COPY --from=build ", StringComparison.Ordinal));
        var user = Assert.Single(runtime.Lines, l => l.StartsWith("USER ", StringComparison.Ordinal))["USER ".Length..].Trim();
        Assert.DoesNotContain(user.Split(':')[0], new[] { "root", "0" });
        Assert.True(runtime.Lines.IndexOf(runtime.Lines.Single(l => l.StartsWith("USER ", StringComparison.Ordinal)))
                    < runtime.Lines.FindIndex(l => l.StartsWith("ENTRYPOINT ", StringComparison.Ordinal)), $"{dockerfile}: USER comes before ENTRYPOINT");

        // Exec form, so the program is PID 1 and receives the SIGTERM that makes it leave the cluster.
        var entrypoint = Assert.Single(runtime.Lines, l => l.StartsWith("ENTRYPOINT ", StringComparison.Ordinal));
        Assert.Equal(new[] { "dotnet", dll }, JsonSerializer.Deserialize<string[]>(entrypoint["ENTRYPOINT ".Length..]));
        if (File.Exists(Path.Combine(Root, project)))
            Assert.Equal(dll, AssemblyName(project) + ".dll");
    }

    [Fact]
    public void The_node_image_ships_the_samples_beside_the_node_and_loads_their_tasks()
    {
        var stages = Stages("deploy/node.Dockerfile");
        var publishes = stages[0].Lines.Where(l => l.Contains("dotnet publish ", StringComparison.Ordinal))
            .SelectMany(l => l.Split("&&")).Where(l => l.Contains("dotnet publish ", StringComparison.Ordinal)).ToList();
        string OutputOf(string project) => Option(publishes.Single(l => l.Contains(project, StringComparison.Ordinal)), "-o");
        Assert.Equal(OutputOf("src/Fanout.Node/Fanout.Node.csproj"), OutputOf("src/Fanout.Samples/Fanout.Samples.csproj"));

        var runtime = stages[^1];
        var workdir = runtime.Lines.Last(l => l.StartsWith("WORKDIR ", StringComparison.Ordinal))["WORKDIR ".Length..].Trim();
        Assert.Contains(runtime.Lines, l => l == $"COPY --from=build {OutputOf("src/Fanout.Node/Fanout.Node.csproj")}/ ./");
        var env = EnvOf(runtime);
        Assert.Equal($"{workdir}/Fanout.Samples.dll", env["FANOUT_TASK_ASSEMBLIES"]);
        Assert.Equal("0.0.0.0", env["CLUSTER_IP"]);
        Assert.Equal("0.0.0.0", env["FANOUT_HTTP_HOST"]);
    }

    [Fact]
    public void The_docker_build_context_leaves_out_build_output_local_data_and_git_history()
    {
        var patterns = File.ReadAllLines(Path.Combine(Root, ".dockerignore")).Select(l => l.Trim()).ToHashSet();
        Assert.Contains("**/bin/", patterns);
        Assert.Contains("**/obj/", patterns);
        Assert.Contains("**/fanout-data/", patterns);
        Assert.Contains(".git", patterns);
    }

    private sealed record Stage(string From, List<string> Lines);

    /// <summary>The Dockerfile's stages: each FROM's image (and alias), and its instructions with continuations joined and comments dropped.</summary>
    private static List<Stage> Stages(string dockerfile)
    {
        var instructions = new List<string>();
        var pending = "";
        foreach (var raw in File.ReadAllLines(Path.Combine(Root, dockerfile)))
        {
            var line = raw.Trim();
            if (line.StartsWith('#') || line.Length == 0 && pending.Length == 0) continue;
            if (line.EndsWith('\\'))
            {
                pending += line[..^1].Trim() + " ";
                continue;
            }
            instructions.Add((pending + line).Trim());
            pending = "";
        }
        var stages = new List<Stage>();
        foreach (var instruction in instructions.Where(i => i.Length > 0))
        {
            if (instruction.StartsWith("FROM ", StringComparison.Ordinal))
                stages.Add(new Stage(instruction["FROM ".Length..].Trim(), []));
            else
                (stages.LastOrDefault() ?? throw new Xunit.Sdk.XunitException($"{dockerfile}: an instruction before FROM")).Lines.Add(instruction);
        }
        return stages;
    }

    private static Dictionary<string, string> EnvOf(Stage stage) =>
        stage.Lines.Where(l => l.StartsWith("ENV ", StringComparison.Ordinal))
            .SelectMany(l => l["ENV ".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(kv => kv[0], kv => kv.Length > 1 ? kv[1] : "");

    private static string Option(string command, string name)
    {
        var words = command.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var at = Array.IndexOf(words, name);
        Assert.True(at >= 0 && at + 1 < words.Length, $"'{command}' has no {name}");
        return words[at + 1];
    }

    private static string AssemblyName(string project)
    {
        var text = File.ReadAllText(Path.Combine(Root, project));
        var match = System.Text.RegularExpressions.Regex.Match(text, "<AssemblyName>([^<]+)</AssemblyName>");
        return match.Success ? match.Groups[1].Value.Trim() : Path.GetFileNameWithoutExtension(project);
    }

    // --- deploy/local-cluster.sh -----------------------------------------------------------------------

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task The_local_cluster_script_is_executable_strict_bash_that_parses()
    {
        var script = Path.Combine(Root, "deploy", "local-cluster.sh");
        var text = await File.ReadAllTextAsync(script);
        Assert.StartsWith("#!/usr/bin/env bash\n", text);
        Assert.Contains("\nset -euo pipefail\n", text);
        Assert.True(File.GetUnixFileMode(script).HasFlag(UnixFileMode.UserExecute), $"{script} is not executable (git update-index --chmod=+x)");

        var (exitCode, output) = await RunProcess("bash", "bash is needed for deploy/local-cluster.sh", "-n", script);
        Assert.True(exitCode == 0, $"bash -n {script}: {output}");
        (exitCode, output) = await RunProcess("bash", "bash is needed for deploy/local-cluster.sh", script, "--help");
        Assert.True(exitCode == 0, $"{script} --help: {output}");
        Assert.Contains("--smoke", output);
        Assert.Contains("stop", output);
    }

    // --- tools and YAML --------------------------------------------------------------------------------

    private static readonly TimeSpan ToolTimeout = TimeSpan.FromMinutes(2);

    /// <summary>Runs a tool in the repository root; its standard output, which must be YAML, when it exits 0.</summary>
    private static async Task<YamlStream> Run(string tool, string howToInstall, params string[] args)
    {
        var (exitCode, output) = await RunProcess(tool, howToInstall, args);
        Assert.True(exitCode == 0, $"{tool} {string.Join(' ', args)} exited {exitCode}:\n{output}");
        var yaml = new YamlStream();
        yaml.Load(new StringReader(output));
        return yaml;
    }

    /// <summary>Runs a tool in the repository root: its exit code, and its standard output (followed by its standard error when it fails).</summary>
    private static async Task<(int ExitCode, string Output)> RunProcess(string tool, string howToInstall, params string[] args)
    {
        if (!OnPath(tool))
            Assert.Fail($"{tool} is not on PATH: {howToInstall}.");
        var info = new ProcessStartInfo(tool)
        {
            WorkingDirectory = Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        Process process;
        try
        {
            process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {tool}");
        }
        catch (Win32Exception e)
        {
            throw new Xunit.Sdk.XunitException($"{tool} could not be started ({e.Message}): {howToInstall}.");
        }
        using (process)
        {
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            try
            {
                await Deadlines.Within(ToolTimeout, $"{tool} {string.Join(' ', args)} to exit", process.WaitForExitAsync);
            }
            catch (TimeoutException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }
            var output = await stdout.Within(ToolTimeout, $"the end of {tool}'s output (something it started holds it open)");
            return (process.ExitCode, process.ExitCode == 0 ? output : $"{output}\n{await stderr.Within(ToolTimeout, $"the end of {tool}'s error output")}");
        }
    }

    private static bool OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Any(folder => File.Exists(Path.Combine(folder, tool)));

    private static YamlNode OnlyDocument(YamlStream yaml) => Assert.Single(yaml.Documents).RootNode;

    /// <summary>The node at the path of mapping keys; null when a key is missing.</summary>
    private static YamlNode? Get(YamlNode? node, params string[] keys)
    {
        foreach (var key in keys)
        {
            if (node is not YamlMappingNode mapping) return null;
            node = mapping.Children.FirstOrDefault(kv => kv.Key is YamlScalarNode k && k.Value == key).Value;
        }
        return node;
    }

    /// <summary>The scalar at the path; fails naming the path when there is none.</summary>
    private static string Text(YamlNode? node, params string[] keys) =>
        (Get(node, keys) as YamlScalarNode)?.Value ?? throw new Xunit.Sdk.XunitException($"no value at {string.Join('.', keys)}");

    private static string? Scalar(YamlNode node) => (node as YamlScalarNode)?.Value;

    private static IEnumerable<YamlNode> Items(YamlNode? node) => (node as YamlSequenceNode)?.Children ?? [];

    private static IEnumerable<string> Names(YamlNode? node) =>
        (node as YamlMappingNode)?.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value!) ?? [];

    private static string FindRepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            if (File.Exists(Path.Combine(folder.FullName, "Fanout.sln"))) return folder.FullName;
        throw new InvalidOperationException($"no folder above {AppContext.BaseDirectory} holds Fanout.sln");
    }
}
