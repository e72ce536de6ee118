using System.Text.Json;
using Fanout.Tests.Deploy.Support;

namespace Fanout.Tests.Deploy;

/// <summary>
/// The Dockerfiles, read as text: multi-stage builds that run the programs as a non-root user, tagged by version; the
/// node image without tasks and the samples image built FROM it.
/// </summary>
public sealed class DeploymentImageSpecs
{
    /// <summary>The version every image and manifest is tagged with: the node image's FANOUT_VERSION default.</summary>
    public static string Version => Dockerfile.Read("deploy/node.Dockerfile").ArgDefault("FANOUT_VERSION");

    [Theory]
    [InlineData("deploy/lighthouse.Dockerfile", "runtime", "lighthouse/Lighthouse.csproj", "Fanout.Lighthouse.dll")]
    [InlineData("deploy/node.Dockerfile", "node", "src/Fanout.Node/Fanout.Node.csproj", "Fanout.Node.dll")]
    public void A_Dockerfile_publishes_in_the_SDK_image_and_runs_the_program_on_the_ASP_NET_runtime_as_a_non_root_user(
        string path, string runtimeStage, string project, string dll)
    {
        var dockerfile = Dockerfile.Read(path);
        var build = dockerfile.Stages[0];

        Assert.True(dockerfile.Stages.Count >= 2, $"{path}: a multi-stage build (FROM ... AS build, then the runtime)");
        Assert.Equal("mcr.microsoft.com/dotnet/sdk:10.0", build.From);
        var publish = build.Instructions("RUN").Where(l => l.Contains("dotnet publish", StringComparison.Ordinal)).ToList();
        Assert.Contains(publish, l => l.Contains($"dotnet publish {project} -c Release", StringComparison.Ordinal));
        // What the build stage copies from the context is in the repository (a renamed file breaks the image).
        foreach (var copy in build.Instructions("COPY"))
        {
            var sources = copy.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..^1];
            foreach (var source in sources)
                Assert.True(File.Exists(Path.Combine(DeployTools.Root, source)) || Directory.Exists(Path.Combine(DeployTools.Root, source)),
                    $"{path}: '{copy}' copies {source}, which the repository does not have");
        }

        var runtime = dockerfile.Stage(runtimeStage);
        Assert.Equal("mcr.microsoft.com/dotnet/aspnet:10.0", runtime.From);
        Assert.Contains(runtime.Lines, l => l.StartsWith("COPY --from=build ", StringComparison.Ordinal));
        var user = Assert.Single(runtime.Instructions("USER"))["USER ".Length..].Trim();
        Assert.DoesNotContain(user.Split(':')[0], new[] { "root", "0" });
        Assert.True(runtime.Lines.IndexOf(runtime.Instructions("USER").Single()) < runtime.Lines.IndexOf(runtime.Instructions("ENTRYPOINT").Single()),
            $"{path}: USER comes before ENTRYPOINT");

        // Exec form, so the program is PID 1 and receives the SIGTERM that makes it leave the cluster.
        var entrypoint = Assert.Single(runtime.Instructions("ENTRYPOINT"));
        Assert.Equal(new[] { "dotnet", dll }, JsonSerializer.Deserialize<string[]>(entrypoint["ENTRYPOINT ".Length..]));
        if (File.Exists(Path.Combine(DeployTools.Root, project)))
            Assert.Equal(dll, AssemblyName(project) + ".dll");
    }

    [Theory]
    [InlineData("deploy/lighthouse.Dockerfile", "runtime")]
    [InlineData("deploy/node.Dockerfile", "node")]
    public void An_image_is_versioned_by_the_FANOUT_VERSION_build_argument_never_latest(string path, string runtimeStage)
    {
        var dockerfile = Dockerfile.Read(path);
        var version = dockerfile.ArgDefault("FANOUT_VERSION");

        Assert.Matches(@"^\d+\.\d+\.\d+(-[0-9A-Za-z.]+)?$", version);
        Assert.Equal(Version, version);
        Assert.Contains(dockerfile.Stages[0].Lines, l => l == "ARG FANOUT_VERSION");
        Assert.All(dockerfile.Stages[0].Instructions("RUN").Where(l => l.Contains("dotnet publish", StringComparison.Ordinal)),
            run => Assert.Contains("-p:InformationalVersion=${FANOUT_VERSION}", run));
        var runtime = dockerfile.Stage(runtimeStage);
        Assert.Contains(runtime.Lines, l => l == "ARG FANOUT_VERSION");
        Assert.Contains(runtime.Instructions("LABEL"), l => l.Contains("org.opencontainers.image.version=\"${FANOUT_VERSION}\"", StringComparison.Ordinal));
        Assert.Equal("${FANOUT_VERSION}", runtime.Env()["FANOUT_VERSION"]);
        Assert.DoesNotContain("latest", File.ReadAllText(Path.Combine(DeployTools.Root, path)));
    }

    [Fact]
    public void The_node_image_carries_no_tasks_and_writes_only_to_its_data_volume()
    {
        var dockerfile = Dockerfile.Read("deploy/node.Dockerfile");
        var node = dockerfile.Stage("node");
        var nodeOutput = PublishOutput(dockerfile, "src/Fanout.Node/Fanout.Node.csproj");

        Assert.Equal([$"COPY --from=build {nodeOutput}/ ./"], node.Instructions("COPY"));
        Assert.NotEqual(nodeOutput, PublishOutput(dockerfile, "src/Fanout.Samples/Fanout.Samples.csproj"));
        var env = node.Env();
        Assert.False(env.ContainsKey("FANOUT_TASK_ASSEMBLIES"), "the node image names task assemblies");
        Assert.Equal("0.0.0.0", env["CLUSTER_IP"]);
        Assert.Equal("0.0.0.0", env["FANOUT_HTTP_HOST"]);

        // The SQLite file's folder is a volume that exists, owned by the non-root user, so a mounted volume starts writable.
        var dataFolder = Path.GetDirectoryName(env["FANOUT_DB_PATH"])!;
        Assert.Contains(node.Instructions("VOLUME"), v => v.Contains($"\"{dataFolder}\"", StringComparison.Ordinal));
        Assert.Contains(node.Instructions("RUN"), r => r.Contains($"install -d -o \"$APP_UID\" -g \"$APP_UID\" {dataFolder}", StringComparison.Ordinal));
        Assert.Contains("/health/ready", Assert.Single(node.Instructions("HEALTHCHECK")));
    }

    [Fact]
    public void The_samples_image_is_built_FROM_the_node_image_with_the_samples_assembly_and_names_it()
    {
        var dockerfile = Dockerfile.Read("deploy/node.Dockerfile");
        var samples = dockerfile.Stage("node-samples");

        Assert.Same(samples, dockerfile.Stages[^1]);
        Assert.Equal("node", samples.From);
        var copy = Assert.Single(samples.Instructions("COPY"));
        var words = copy.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["COPY", "--from=build", $"{PublishOutput(dockerfile, "src/Fanout.Samples/Fanout.Samples.csproj")}/Fanout.Samples.dll"], words[..3]);
        var folder = words[3].TrimEnd('/');
        Assert.Equal($"{folder}/Fanout.Samples.dll", samples.Env()["FANOUT_TASK_ASSEMBLIES"]);
        // It keeps the node's user and entry point.
        Assert.Empty(samples.Instructions("USER"));
        Assert.Empty(samples.Instructions("ENTRYPOINT"));
    }

    [Fact]
    public void Neither_the_build_context_nor_git_takes_build_output_local_data_or_secrets()
    {
        var dockerignore = Lines(".dockerignore");
        foreach (var pattern in new[] { "**/bin/", "**/obj/", "**/fanout-data/", ".git" })
            Assert.Contains(pattern, dockerignore);
        var gitignore = Lines(".gitignore");
        foreach (var secrets in new[] { ".env", "deploy/certs/", "deploy/k8s/*/secrets/", "deploy/k8s/tls/certs/" })
        {
            Assert.Contains(secrets, dockerignore);
            Assert.Contains(secrets, gitignore);
        }
    }

    private static HashSet<string> Lines(string file) =>
        File.ReadAllLines(Path.Combine(DeployTools.Root, file)).Select(l => l.Trim()).ToHashSet();

    private static string PublishOutput(Dockerfile dockerfile, string project)
    {
        var publishes = dockerfile.Stages[0].Instructions("RUN")
            .SelectMany(l => l.Split("&&")).Where(l => l.Contains("dotnet publish ", StringComparison.Ordinal));
        return DockerStage.Option(publishes.Single(l => l.Contains(project, StringComparison.Ordinal)), "-o");
    }

    private static string AssemblyName(string project)
    {
        var text = File.ReadAllText(Path.Combine(DeployTools.Root, project));
        var match = System.Text.RegularExpressions.Regex.Match(text, "<AssemblyName>([^<]+)</AssemblyName>");
        return match.Success ? match.Groups[1].Value.Trim() : Path.GetFileNameWithoutExtension(project);
    }
}
