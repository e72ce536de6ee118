using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Fanout.Dashboard;

/// <summary>
/// The path <see cref="FanoutRuntimeOptions.HttpPublicUrl"/> puts in front of every route: <c>/fanout</c> for
/// <c>https://example.com/fanout/</c>, nothing without a public URL or with the path <c>/</c>. The pages' links, forms
/// and assets (written by <see cref="Html"/>), their redirects and the script's requests (from <c>body[data-base]</c>)
/// all go under it, so a browser behind a proxy that serves Fanout under a sub-path stays under it. Both proxy styles
/// work: one that strips the prefix (the node is asked for <c>/ui/runs</c>) and one that forwards it (asked for
/// <c>/fanout/ui/runs</c>: <see cref="DashboardHost"/> takes <see cref="PathBase"/> off before routing).
/// </summary>
internal sealed class PublicPath
{
    public static readonly PublicPath None = new("");

    private PublicPath(string prefix) => Prefix = prefix;

    /// <summary>Empty, or the prefix as it stands in a URL (escaped), starting with <c>/</c> and never ending in one.</summary>
    public string Prefix { get; }

    /// <summary>The prefix as ASP.NET Core compares request paths (unescaped), for <c>UsePathBase</c>.</summary>
    public PathString PathBase => PathString.FromUriComponent(Prefix);

    /// <summary>
    /// The path of <paramref name="publicUrl"/> without empty segments: <c>https://x//a//</c> gives <c>/a</c>, never
    /// <c>//a</c>, which a browser would read as another host.
    /// </summary>
    public static PublicPath Of(Uri? publicUrl)
    {
        if (publicUrl is null) return None;
        var segments = publicUrl.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return segments.Length == 0 ? None : new PublicPath("/" + string.Join('/', segments));
    }

    /// <summary>The host's prefix (registered by <see cref="DashboardHost"/>).</summary>
    public static PublicPath Of(HttpContext http) => http.RequestServices.GetService<PublicPath>() ?? None;

    /// <summary>A path on this site (<c>/ui/runs</c>) as a browser asks for it (<c>/fanout/ui/runs</c>); anything else unchanged.</summary>
    public string To(string path) => IsSitePath(path) ? Prefix + path : path;

    /// <summary>
    /// Whether <paramref name="path"/>, as a browser asked for it, lies under the prefix: any path on this site without
    /// one, else <c>/fanout</c> followed by <c>/</c> (<c>/fanoutx</c> and <c>/other</c> are not).
    /// </summary>
    public bool Holds(string path) => IsSitePath(path)
        && (Prefix.Length == 0 || (path.StartsWith(Prefix, StringComparison.Ordinal) && path.Length > Prefix.Length && path[Prefix.Length] == '/'));

    /// <summary>
    /// <c>/x</c>, not <c>//host</c> or <c>/\host</c> (which browsers read as another host) nor a relative or absolute URL.
    /// </summary>
    private static bool IsSitePath(string path) => path.Length > 0 && path[0] == '/' && (path.Length == 1 || path[1] is not ('/' or '\\'));
}
