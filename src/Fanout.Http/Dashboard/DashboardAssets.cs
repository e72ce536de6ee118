using System.Reflection;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;

namespace Fanout.Dashboard;

/// <summary>
/// The pages' stylesheet and script, embedded in the assembly (no CDN, no build step). Each is linked with a hash of
/// its content in the query, so a browser may keep it for a year and still gets a new one with a new build.
/// </summary>
internal static class DashboardAssets
{
    private static readonly Dictionary<string, Asset> Assets = new(StringComparer.Ordinal)
    {
        ["dashboard.css"] = Load("dashboard.css", "text/css; charset=utf-8"),
        ["dashboard.js"] = Load("dashboard.js", "text/javascript; charset=utf-8"),
    };

    public static string Url(string name) => $"/ui/assets/{name}?v={Assets[name].Version}";

    public static IResult Serve(string name, HttpContext http)
    {
        if (!Assets.TryGetValue(name, out var asset)) return Pages.NotFoundPage.Result(http, $"no asset '{name}'");
        return new Result(asset, http.Request.Query["v"] == asset.Version);
    }

    private static Asset Load(string name, string contentType)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Fanout.Dashboard.Assets." + name)
            ?? throw new InvalidOperationException($"the dashboard asset '{name}' is not embedded in the assembly");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        var bytes = copy.ToArray();
        return new Asset(bytes, contentType, Convert.ToHexString(SHA256.HashData(bytes))[..12].ToLowerInvariant());
    }

    private sealed record Asset(byte[] Bytes, string ContentType, string Version);

    private sealed class Result(Asset asset, bool versioned) : IResult
    {
        public Task ExecuteAsync(HttpContext http)
        {
            http.Response.ContentType = asset.ContentType;
            http.Response.Headers.XContentTypeOptions = "nosniff";
            http.Response.Headers.CacheControl = versioned ? "public, max-age=31536000, immutable" : "no-cache";
            http.Response.ContentLength = asset.Bytes.Length;
            return http.Response.Body.WriteAsync(asset.Bytes, http.RequestAborted).AsTask();
        }
    }
}
