using static Fanout.Workflow;

namespace Fanout.Samples;

/// <summary>Multi-phase workflow: preprocess, process and postprocess, each a gather feeding the next.</summary>
internal static class MultiPhaseFanout
{
    public static readonly TaskEnvironment Env = new("multi_phase");

    public static readonly TaskDefinition<int, int> PreprocessTask =
        Env.Task("preprocess_task", (int x) => Task.FromResult(x + 1));

    public static readonly TaskDefinition<int, int> ProcessTask =
        Env.Task("process_task", (int x) => Task.FromResult(x * x));

    public static readonly TaskDefinition<int, int> PostprocessTask =
        Env.Task("postprocess_task", (int x) => Task.FromResult(x - 1));

    public static readonly TaskDefinition<int, int[]> Main =
        Env.Task("multi_phase_workflow", async (int dataSize, CancellationToken ct) =>
        {
            // First phase: data preprocessing.
            var preprocessed = new List<Task<int>>();
            for (var i = 0; i < dataSize; i++)
                preprocessed.Add(PreprocessTask.InvokeAsync(i));
            var phase1Results = await Gather(preprocessed);

            // Second phase: main processing.
            var processed = new List<Task<int>>();
            foreach (var result in phase1Results)
                processed.Add(ProcessTask.InvokeAsync(result));
            var phase2Results = await Gather(processed);

            // Third phase: postprocessing.
            var postprocessed = new List<Task<int>>();
            foreach (var result in phase2Results)
                postprocessed.Add(PostprocessTask.InvokeAsync(result));
            return await Gather(postprocessed);
        });

    public static async Task RunAsync(FanoutRuntime fanout)
    {
        var run = await fanout.RunAsync(Main, 100);
        Show.Url(run);
        Show.Result(await run.WaitAsync());
    }
}
