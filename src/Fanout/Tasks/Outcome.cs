namespace Fanout;

/// <summary>
/// One call's outcome when gathering with <c>returnExceptions: true</c>: its value, or the exception
/// it ended with. Nothing is thrown and no call is dropped.
/// </summary>
/// <typeparam name="T">The call's result type.</typeparam>
public readonly struct Outcome<T>
{
    private readonly T? _value;

    private Outcome(T? value, Exception? exception)
    {
        _value = value;
        Exception = exception;
    }

    /// <summary>A successful outcome.</summary>
    public static Outcome<T> Success(T value) => new(value, null);

    /// <summary>A failed outcome.</summary>
    public static Outcome<T> Failure(Exception exception) =>
        new(default, exception ?? throw new ArgumentNullException(nameof(exception)));

    /// <summary>True when the call returned a value.</summary>
    public bool IsSuccess => Exception is null;

    /// <summary>The exception the call ended with, or null when it succeeded.</summary>
    public Exception? Exception { get; }

    /// <summary>The call's value. Throws <see cref="InvalidOperationException"/> (with the call's exception inside) when it failed.</summary>
    public T Value => Exception is null
        ? _value!
        : throw new InvalidOperationException("This call failed; see the inner exception.", Exception);

    /// <summary>Lets a caller write <c>var (ok, value, error) = outcome;</c>.</summary>
    public void Deconstruct(out bool isSuccess, out T? value, out Exception? exception)
    {
        isSuccess = IsSuccess;
        value = _value;
        exception = Exception;
    }

    /// <inheritdoc />
    public override string ToString() => IsSuccess ? $"Success({_value})" : $"Failure({Exception!.GetType().Name}: {Exception.Message})";
}
