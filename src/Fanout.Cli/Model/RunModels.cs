namespace Fanout.Cli.Model;

// What the node's run endpoints answer, as the CLI reads them (the contract's field names, camelCase on the
// wire). Statuses stay strings: the CLI prints what the node says, including a status newer than itself.

/// <summary><c>GET /runs/{id}</c>.</summary>
internal sealed record RunSummaryDto(string RunId, string TaskName, string Status, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt,
    int TotalActions, Dictionary<string, int> Counts, List<GroupDto>? Groups, ErrorDto? Error, string? WaitingFor,
    int GroupsNotListed = 0);

/// <summary>Counts of the actions started directly in one group of a run.</summary>
internal sealed record GroupDto(string Group, int Total, Dictionary<string, int> Counts);

/// <summary>An error as the node journaled it.</summary>
internal sealed record ErrorDto(string Type, string Message);

/// <summary><c>GET /runs/{id}/actions</c>.</summary>
internal sealed record ActionPageDto(int Total, int Offset, List<ActionDto> Actions);

/// <summary>One action of a run.</summary>
internal sealed record ActionDto(string ActionId, string? ParentId, string TaskName, string Group, string Status, int Attempts,
    DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, ErrorDto? Error);

/// <summary><c>GET /runs</c>.</summary>
internal sealed record RunListDto(List<RunListEntryDto> Runs, string? NextCursor);

/// <summary>One run in the runs index.</summary>
internal sealed record RunListEntryDto(string RunId, string TaskName, string Status, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt,
    int TotalActions, Dictionary<string, int>? Counts, ErrorDto? Error, bool CallerChosenId);

/// <summary><c>POST /runs</c>.</summary>
internal sealed record StartedRunDto(string RunId, string? Url);

/// <summary><c>POST /runs/{id}/cancel</c>.</summary>
internal sealed record CancelledRunDto(string RunId, string Status);

/// <summary><c>POST /runs/purge</c>.</summary>
internal sealed record PurgedRunsDto(int Purged, List<string> RunIds);

/// <summary>The run statuses that end a run, and the one that counts as success.</summary>
internal static class RunStatuses
{
    public const string Running = "running";
    public const string Succeeded = "succeeded";

    public static readonly string[] All = ["running", "succeeded", "failed", "cancelled"];

    public static readonly string[] ActionStatuses = ["queued", "running", "retrying", "succeeded", "failed", "cancelled"];

    public static bool HasEnded(string status) => !string.Equals(status, Running, StringComparison.OrdinalIgnoreCase);

    /// <summary>Actions in these statuses are done: they will not run again.</summary>
    public static bool IsDone(string actionStatus) => actionStatus is "succeeded" or "failed" or "cancelled";
}
