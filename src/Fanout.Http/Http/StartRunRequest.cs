using System.Text.Json;

namespace Fanout.Http;

/// <summary>
/// The body of <c>POST /runs</c>: <c>{"task": "env.task", "input": &lt;JSON&gt;, "id": "optional-run-id"}</c>,
/// read with a message naming what is wrong. A missing input is JSON <c>null</c>; a missing (or null) id
/// gives the run a new random one.
/// </summary>
internal sealed record StartRunRequest(string Task, string InputJson, string? RunId)
{
    private const string Shape = "the body must be {\"task\": \"environment.task\", \"input\": <JSON>, \"id\": \"optional-run-id\"}";

    public RunOptions? Options => RunId is null ? null : new RunOptions { RunId = RunId };

    public static bool TryParse(JsonElement body, out StartRunRequest? request, out string? problem)
    {
        request = null;
        if (body.ValueKind != JsonValueKind.Object
            || !body.TryGetProperty("task", out var task) || task.ValueKind != JsonValueKind.String)
        {
            problem = Shape;
            return false;
        }

        string? runId = null;
        if (body.TryGetProperty("id", out var id) && id.ValueKind != JsonValueKind.Null)
        {
            if (id.ValueKind != JsonValueKind.String)
            {
                problem = $"\"id\" must be a string (the run id), not {id.ValueKind.ToString().ToLowerInvariant()}; {Shape}";
                return false;
            }
            runId = id.GetString()!;
            if (RunIds.Problem(runId) is { } rule)
            {
                problem = $"\"id\": {rule}";
                return false;
            }
        }

        var input = body.TryGetProperty("input", out var given) ? given.GetRawText() : "null";
        request = new StartRunRequest(task.GetString()!, input, runId);
        problem = null;
        return true;
    }
}
