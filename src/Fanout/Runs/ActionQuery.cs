namespace Fanout;

/// <summary>A filter and a page over a run's actions, in the order they were started.</summary>
/// <param name="Status">Only actions in this status; null for all.</param>
/// <param name="Group">Only actions in this group or a group nested in it; null for all.</param>
/// <param name="Offset">How many matching actions to skip.</param>
/// <param name="Limit">The most actions to return (1 to 1000).</param>
/// <param name="TaskName">Only actions of this task (its full name, matched exactly); null for all.</param>
public sealed record ActionQuery(ActionStatus? Status = null, string? Group = null, int Offset = 0, int Limit = 100, string? TaskName = null)
{
    /// <summary>The largest page a query may ask for.</summary>
    public const int MaxLimit = 1000;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> when the offset or limit is out of range.</summary>
    public void Validate()
    {
        if (Offset < 0) throw new ArgumentOutOfRangeException(nameof(Offset), Offset, "offset must be 0 or more");
        if (Limit is < 1 or > MaxLimit)
            throw new ArgumentOutOfRangeException(nameof(Limit), Limit, $"limit must be between 1 and {MaxLimit}");
    }
}
