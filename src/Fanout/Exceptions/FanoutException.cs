namespace Fanout;

/// <summary>The base of every exception Fanout throws on purpose.</summary>
public class FanoutException : Exception
{
    /// <summary>Creates the exception with a message.</summary>
    public FanoutException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    public FanoutException(string message, Exception? innerException) : base(message, innerException)
    {
    }
}
