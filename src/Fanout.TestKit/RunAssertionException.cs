namespace Fanout.TestKit;

/// <summary>A <see cref="RunReport"/> assertion failed; the message says what was expected and lists what ran.</summary>
public sealed class RunAssertionException : Xunit.Sdk.XunitException
{
    /// <summary>Makes the exception with its message.</summary>
    public RunAssertionException(string message) : base(message)
    {
    }
}
