namespace Fanout.Runtime;

/// <summary>The group path in force on the current logical call path (see <see cref="Workflow.Group"/>).</summary>
internal sealed class GroupScope : IDisposable
{
    private static readonly AsyncLocal<string?> PathSlot = new();
    private readonly string? _previous;
    private bool _disposed;

    private GroupScope(string name)
    {
        _previous = PathSlot.Value;
        PathSlot.Value = _previous is null ? name : $"{_previous}/{name}";
    }

    public static string? CurrentPath => PathSlot.Value;

    public static GroupScope Enter(string name) => new(TaskNames.Validate(name, nameof(name)));

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        PathSlot.Value = _previous;
    }
}
