namespace Fanout.Samples;

/// <summary>One command of the samples program: a name, a line of help, and the code that runs it.</summary>
internal sealed record Sample(string Name, string Description, Func<FanoutRuntime, Task> RunAsync);
