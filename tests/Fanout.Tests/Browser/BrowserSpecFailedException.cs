namespace Fanout.Tests.Browser;

/// <summary>A browser spec's failure, naming the screenshot and HTML saved of the page it failed on.</summary>
public sealed class BrowserSpecFailedException(string message, Exception inner) : Exception(message, inner);
