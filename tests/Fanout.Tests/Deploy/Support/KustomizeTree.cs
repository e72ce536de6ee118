using Fanout.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace Fanout.Tests.Deploy.Support;

/// <summary>
/// A copy of deploy/k8s in a temporary folder, with the files its secretGenerators read (which are never committed)
/// written by the spec, or left out to see the render fail. The copy leaves out any such files a developer has in
/// the working tree, so only what is committed and what the spec writes are rendered.
/// </summary>
internal sealed class KustomizeTree : IDisposable
{
    /// <summary>What the generated secrets hold: values no committed file has.</summary>
    public const string Sentinel = "value-written-by-the-spec";

    private static readonly string[] SecretFolders = ["base/secrets", "postgres/secrets", "tls/certs"];

    private readonly TempDirectory _folder = new();

    private KustomizeTree()
    {
        Copy(Path.Combine(DeployTools.Root, "deploy", "k8s"), Folder);
    }

    public string Folder => Path.Combine(_folder.Path, "k8s");

    /// <summary>A copy with every secret file make-secrets.sh would write (<paramref name="withSecrets"/>), or with none.</summary>
    public static KustomizeTree Create(bool withSecrets)
    {
        var tree = new KustomizeTree();
        if (!withSecrets) return tree;
        tree.Write("base/secrets/api.env", $"token=token-{Sentinel}\nviewer-token=viewer-{Sentinel}\n");
        tree.Write("postgres/secrets/postgres.env", $"POSTGRES_PASSWORD=owner-{Sentinel}\nFANOUT_DB_PASSWORD=app-{Sentinel}\n");
        tree.Write("postgres/secrets/fanout-db.env",
            $"connection-string=Host=postgres;Port=5432;Username=fanout;Password=app-{Sentinel};Database=fanout\n");
        tree.Write("postgres/secrets/fanout-db-owner.env",
            $"connection-string=Host=postgres;Port=5432;Username=fanout_owner;Password=owner-{Sentinel};Database=fanout\n");
        foreach (var file in new[] { "ca.crt", "ca.key", "node.pfx", "pfx-password" })
            tree.Write($"tls/certs/{file}", $"{file}-{Sentinel}\n");
        return tree;
    }

    /// <summary>`kubectl kustomize` of a variant folder ("" for the default) of this copy.</summary>
    public Task<(int ExitCode, string Output)> RenderAsync(string variant) =>
        DeployTools.Run("kubectl", DeployTools.KubectlInstall, null, "kustomize", Path.Combine(Folder, variant));

    /// <summary>The rendered objects; fails with kubectl's output when it does not render.</summary>
    public async Task<IReadOnlyList<YamlNode>> ObjectsAsync(string variant)
    {
        var (exitCode, output) = await RenderAsync(variant);
        Assert.True(exitCode == 0, $"kubectl kustomize deploy/k8s/{variant} exited {exitCode}:\n{output}");
        var yaml = new YamlStream();
        yaml.Load(new StringReader(output));
        return yaml.Documents.Select(d => d.RootNode).ToList();
    }

    private void Write(string relativePath, string content)
    {
        var path = Path.Combine(Folder, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    private static void Copy(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        foreach (var folder in Directory.GetDirectories(from))
        {
            var relative = Path.GetRelativePath(Path.Combine(DeployTools.Root, "deploy", "k8s"), folder).Replace('\\', '/');
            if (SecretFolders.Contains(relative)) continue;
            Copy(folder, Path.Combine(to, Path.GetFileName(folder)));
        }
    }

    public void Dispose() => _folder.Dispose();
}
