namespace Fanout.Tests.Packaging;

/// <summary>
/// The spec's own sources for the fresh projects: a first app for when the README marks none, and a test that
/// every fresh test project carries (an embedded run from the packages whose page answers at run.Url).
/// </summary>
internal static class FreshSources
{
    /// <summary>The fresh web app's Program.cs when the README marks no fresh-app block.</summary>
    public const string FallbackProgram = """
        using Fanout;

        // The first app a user writes: an embedded runtime, one fan-out run, the URL of the run's page.
        await using var fanout = await FanoutRuntime.StartEmbeddedAsync(
            new FanoutRuntimeOptions { DatabasePath = Path.Combine("fanout-data", "fresh-app.db") });
        var run = await fanout.RunAsync(FreshTasks.SumOfSquares, 20);
        Console.WriteLine($"result: {await run.WaitAsync()}");
        Console.WriteLine($"run url: {run.Url}");
        // The runtime (and the run's page) stays up until stdin closes.
        Console.In.ReadToEnd();

        internal static class FreshTasks
        {
            public static readonly TaskEnvironment Env = new("fresh_app");

            public static readonly TaskDefinition<int, int> Square =
                Env.Task("square", (int x) => Task.FromResult(x * x));

            public static readonly TaskDefinition<int, int> SumOfSquares =
                Env.Task("sum_of_squares", async (int n) =>
                    (await Workflow.Gather(Enumerable.Range(1, n).Select(i => Square.InvokeAsync(i)))).Sum());
        }
        """;

    /// <summary>The test every fresh test project gets, beside the README's fresh-test blocks.</summary>
    public const string PackagedRuntimeTest = """
        using Fanout;
        using Xunit;

        namespace FreshTests;

        public sealed class PackagedRuntimeTests
        {
            private static readonly TaskEnvironment Env = new("fresh_test");

            private static readonly TaskDefinition<int, int> Double =
                Env.Task("double", (int x) => Task.FromResult(2 * x));

            private static readonly TaskDefinition<int, int[]> Main =
                Env.Task("main", (int n) => Workflow.Gather(Enumerable.Range(1, n).Select(i => Double.InvokeAsync(i))));

            [Fact]
            public async Task An_embedded_run_from_the_packages_serves_its_page()
            {
                var folder = Path.Combine(Path.GetTempPath(), "fresh-test-" + Guid.NewGuid().ToString("N"));
                try
                {
                    await using (var fanout = await FanoutRuntime.StartEmbeddedAsync(
                        new FanoutRuntimeOptions { DatabasePath = Path.Combine(folder, "fanout.db") }))
                    {
                        var run = await fanout.RunAsync(Main, 10);
                        Assert.Equal(Enumerable.Range(1, 10).Select(i => 2 * i), await run.WaitAsync());
                        Assert.NotNull(run.Url);
                        using var http = new HttpClient();
                        var page = await http.GetStringAsync(run.Url);
                        Assert.Contains(run.Id, page);
                    }
                }
                finally
                {
                    if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
                }
            }
        }
        """;
}
