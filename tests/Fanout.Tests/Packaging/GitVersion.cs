using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Fanout.Tests.Packaging;

/// <summary>
/// The version MinVer gives the packages, worked out from the repository's git tags as packaging/Packages.props
/// sets it up (tags v1.2.3; minimum 0.1; untagged commits are alpha.0 pre-releases with the height after).
/// </summary>
internal static class GitVersion
{
    /// <summary>A pattern the packages' version must match, and what it means (for the failure message).</summary>
    public static (Regex Pattern, string Meaning) Expected(string root)
    {
        if (Git(root, "describe", "--tags", "--exact-match", "--match", "v[0-9]*", "HEAD") is { } exact)
            return (new Regex("^" + Regex.Escape(exact[1..]) + "$"), $"HEAD is tagged {exact}");
        if (Git(root, "describe", "--tags", "--abbrev=0", "--match", "v[0-9]*", "HEAD") is { } tag)
        {
            var version = Regex.Match(tag, @"^v(?<major>\d+)\.(?<minor>\d+)\.(?<patch>\d+)(?<pre>-[0-9A-Za-z.-]+)?$");
            if (!version.Success) return (new Regex(".+"), $"{tag} is not a version tag MinVer reads");
            var next = version.Groups["pre"].Success
                ? $"{version.Groups["major"]}.{version.Groups["minor"]}.{version.Groups["patch"]}{version.Groups["pre"]}."
                : $"{version.Groups["major"]}.{version.Groups["minor"]}.{int.Parse(version.Groups["patch"].Value) + 1}-alpha.0.";
            return (new Regex("^" + Regex.Escape(next) + @"\d+$"), $"commits after {tag}");
        }
        // No version tag reachable (none made yet, or a shallow clone): the minimum 0.1, and the height when there is one.
        return (new Regex(@"^0\.1\.0-alpha\.0(\.\d+)?$"), "no version tag reachable from HEAD");
    }

    /// <summary>HEAD's commit id.</summary>
    public static string Head(string root) => Git(root, "rev-parse", "HEAD") ?? throw new InvalidOperationException($"{root} is not a git checkout");

    /// <summary>The URL of the remote `origin`, or null when there is none.</summary>
    public static string? Origin(string root) => Git(root, "remote", "get-url", "origin");

    private static string? Git(string root, params string[] args)
    {
        var info = new ProcessStartInfo("git") { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        using var git = Process.Start(info) ?? throw new InvalidOperationException("could not start git");
        var output = git.StandardOutput.ReadToEnd();
        git.StandardError.ReadToEnd();
        git.WaitForExit();
        return git.ExitCode == 0 ? output.Trim() : null;
    }
}
