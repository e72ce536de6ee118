namespace Fanout.Protocol;

/// <summary>An exception flattened to what survives a journal and a network hop.</summary>
internal sealed record ErrorInfo(string Type, string Message, string? StackTrace)
{
    public static ErrorInfo From(Exception exception) =>
        new(exception.GetType().FullName ?? exception.GetType().Name, exception.Message, exception.StackTrace);

    public ActionError ToPublic() => new(Type, Message, StackTrace);
}
