namespace Fanout.Cli;

/// <summary>A value on the command line that parsed but means nothing (bad JSON, a missing @file): exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
