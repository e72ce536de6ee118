namespace Fanout;

/// <summary>
/// Thrown by <see cref="Workflow.Gather{T}(IEnumerable{Task{T}})"/> and <see cref="Workflow.Map{TIn,TOut}(TaskDefinition{TIn,TOut},IEnumerable{TIn},int)"/>
/// when calls failed. It is thrown only after every call has ended, and holds every failure in input order.
/// </summary>
public sealed class GatherException : FanoutException
{
    /// <summary>Creates the exception from the failures, in input order, with their positions.</summary>
    public GatherException(int total, IReadOnlyList<(int Index, Exception Error)> failures)
        : base(BuildMessage(total, failures), failures.Count > 0 ? failures[0].Error : null)
    {
        Total = total;
        Failures = failures;
    }

    /// <summary>How many calls were gathered.</summary>
    public int Total { get; }

    /// <summary>Each failed call's position in the input and its exception.</summary>
    public IReadOnlyList<(int Index, Exception Error)> Failures { get; }

    private static string BuildMessage(int total, IReadOnlyList<(int Index, Exception Error)> failures)
    {
        var first = failures.Count > 0 ? $" First, call #{failures[0].Index}: {failures[0].Error.Message}" : "";
        return $"{failures.Count} of {total} gathered call(s) failed.{first}";
    }
}
