using Fanout.Tests.Deploy.Support;

namespace Fanout.Tests.Deploy;

/// <summary>The scripts in deploy/: executable strict bash that parses and answers --help.</summary>
public sealed class DeploymentScriptSpecs
{
    [Theory]
    [InlineData("deploy/local-cluster.sh", "--smoke")]
    [InlineData("deploy/compose-init.sh", ".env")]
    [InlineData("deploy/k8s/make-secrets.sh", "--external-db")]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task A_deploy_script_is_executable_strict_bash_that_parses_and_explains_itself(string relativePath, string helpMentions)
    {
        var script = Path.Combine(DeployTools.Root, relativePath);
        var text = await File.ReadAllTextAsync(script);
        Assert.StartsWith("#!/usr/bin/env bash\n", text);
        Assert.Contains("\nset -euo pipefail\n", text);
        Assert.True(File.GetUnixFileMode(script).HasFlag(UnixFileMode.UserExecute), $"{script} is not executable (git update-index --chmod=+x)");

        var (exitCode, output) = await DeployTools.Run("bash", "bash is needed for deploy/'s scripts", null, "-n", script);
        Assert.True(exitCode == 0, $"bash -n {script}: {output}");
        (exitCode, output) = await DeployTools.Run("bash", "bash is needed for deploy/'s scripts", null, script, "--help");
        Assert.True(exitCode == 0, $"{script} --help: {output}");
        Assert.Contains(helpMentions, output);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task The_postgres_init_script_is_executable_strict_bash_that_parses()
    {
        var script = Path.Combine(DeployTools.Root, "deploy/k8s/postgres/init-restricted-role.sh");
        Assert.Contains("\nset -euo pipefail\n", await File.ReadAllTextAsync(script));
        Assert.True(File.GetUnixFileMode(script).HasFlag(UnixFileMode.UserExecute), $"{script} is not executable");
        var (exitCode, output) = await DeployTools.Run("bash", "bash is needed for deploy/'s scripts", null, "-n", script);
        Assert.True(exitCode == 0, $"bash -n {script}: {output}");
    }
}
