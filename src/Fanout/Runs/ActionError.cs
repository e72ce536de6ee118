namespace Fanout;

/// <summary>An exception thrown by a task on some node, as journaled: type, message and stack trace.</summary>
/// <param name="Type">The exception's full type name, for example <c>System.InvalidOperationException</c>.</param>
/// <param name="Message">The exception's message.</param>
/// <param name="StackTrace">The stack trace on the node that ran the attempt, when there was one.</param>
public sealed record ActionError(string Type, string Message, string? StackTrace);
