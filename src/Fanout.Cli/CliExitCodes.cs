namespace Fanout.Cli;

/// <summary>The tool's exit codes.</summary>
internal static class CliExitCodes
{
    /// <summary>The command did what was asked (and a waited-for run succeeded).</summary>
    public const int Ok = 0;

    /// <summary>The command failed (the node did not answer, answered an error), or a waited-for run failed or was cancelled.</summary>
    public const int Failed = 1;

    /// <summary>The command line was wrong: unknown verb or option, missing argument, malformed value or node URL.</summary>
    public const int Usage = 2;

    /// <summary>The node refused the request: no token or a wrong one (HTTP 401), or a viewer token for a write (403).</summary>
    public const int Denied = 3;
}
