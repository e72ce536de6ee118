namespace Fanout;

/// <summary>
/// Which runs <see cref="FanoutRuntime.ListRunsAsync"/> lists: newest started first, optionally only those of
/// one status, one task or started since a moment, one page at a time.
/// </summary>
public sealed class RunListQuery
{
    /// <summary>The most runs one page may hold.</summary>
    public const int MaxLimit = 500;

    /// <summary>Only runs in this status; null for all.</summary>
    public RunStatus? Status { get; init; }

    /// <summary>Only runs of the task with this full name (<c>environment.task</c>); null for all.</summary>
    public string? TaskName { get; init; }

    /// <summary>Only runs started at or after this moment; null for all.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>How many runs a page holds at most, from 1 to <see cref="MaxLimit"/> (default 50).</summary>
    public int Limit { get; init; } = 50;

    /// <summary>The <see cref="RunListPage.NextCursor"/> of the previous page; null for the first page.</summary>
    public string? Cursor { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first property with a bad value.</summary>
    public void Validate()
    {
        if (Limit is < 1 or > MaxLimit)
            throw new ArgumentOutOfRangeException(nameof(Limit), Limit, $"Limit must be from 1 to {MaxLimit}");
        if (Status is { } status && !Enum.IsDefined(status))
            throw new ArgumentOutOfRangeException(nameof(Status), status, "Status is not a run status");
        if (TaskName is not null && string.IsNullOrWhiteSpace(TaskName))
            throw new ArgumentException("TaskName must name a task (or be null for all)", nameof(TaskName));
        if (Cursor is not null && !Runtime.Index.RunListCursor.TryRead(Cursor, out _))
            throw new ArgumentException($"Cursor '{Cursor}' is not a cursor this API gave out", nameof(Cursor));
    }
}
