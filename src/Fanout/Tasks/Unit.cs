namespace Fanout;

/// <summary>
/// The input of a task that takes none, and the output of a task that returns none. Its JSON form is <c>{}</c>.
/// </summary>
public readonly record struct Unit
{
    /// <summary>The one value of the type.</summary>
    public static Unit Value => default;
}
