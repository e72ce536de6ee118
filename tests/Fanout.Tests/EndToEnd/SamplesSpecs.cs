using Fanout.Tests.Support;

namespace Fanout.Tests.EndToEnd;

/// <summary>The README's main job: the samples program runs every pattern and exits cleanly.</summary>
public sealed class SamplesSpecs
{
    [Fact]
    public async Task The_samples_program_runs_every_sample_and_exits_zero()
    {
        using var folder = new TempDirectory();
        using var samples = HostProcess.Start("Fanout.Samples.dll", new Dictionary<string, string>(), "all", "--db", folder.File("samples.db"));

        var exitCode = await samples.WaitForExitAsync(TimeSpan.FromMinutes(3));

        Assert.True(exitCode == 0, $"exit code {exitCode}. Output:\n{samples.Output}");
        foreach (var name in new[] { "basic", "parallel", "sequential", "mixed", "multi-phase", "batched", "errors", "chunked", "groups" })
            Assert.Contains($"== {name}:", samples.Output);
        Assert.Contains("http://127.0.0.1:", samples.Output);
        // No cluster chatter unless --verbose: nothing logged below Warning (the console logger marks
        // Information lines "info:"). A warning, should one come, is not chatter and may stand.
        Assert.False(samples.Output.Contains("info:"), $"Information-level logging in quiet mode:\n{samples.Output}");
    }

    [Fact]
    public async Task An_unknown_command_is_refused_with_the_list_of_commands()
    {
        using var samples = HostProcess.Start("Fanout.Samples.dll", new Dictionary<string, string>(), "no-such-sample");

        Assert.Equal(2, await samples.WaitForExitAsync(TimeSpan.FromMinutes(1)));
        Assert.Contains("no-such-sample", samples.Output);
        Assert.Contains("multi-phase", samples.Output);
    }
}
