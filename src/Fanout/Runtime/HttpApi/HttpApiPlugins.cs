using Microsoft.Extensions.Logging;

namespace Fanout.Runtime;

/// <summary>
/// Finds the HTTP API's server by type name, so the SDK does not reference ASP.NET Core: an app that references the
/// Fanout.Http package has it, any other app runs without the API (and says so once, at start).
/// </summary>
internal static class HttpApiPlugins
{
    /// <summary>The server in the Fanout.Http package.</summary>
    public const string DefaultTypeName = "Fanout.Http.HttpApiPlugin, Fanout.Http";

    /// <summary>The package an app references to have the HTTP API.</summary>
    public const string PackageName = "Fanout.Http";

    /// <summary>The plugin <paramref name="typeName"/> names, or null (after a warning) when the app does not have it.</summary>
    /// <exception cref="FanoutException">The type exists but is not an <see cref="IHttpApiPlugin"/> (another version of Fanout.Http).</exception>
    public static IHttpApiPlugin? Find(string typeName, ILogger log)
    {
        var type = Type.GetType(typeName, throwOnError: false);
        if (type is null)
        {
            log.LogWarning(
                "FanoutRuntimeOptions.HttpPort is set but this app has no HTTP API ({Type} was not found): reference the {Package} package " +
                "to serve the API and the run pages, or set HttpPort to null. The runtime runs without them; BaseUrl and run URLs are null",
                typeName, PackageName);
            return null;
        }
        return Activator.CreateInstance(type) as IHttpApiPlugin
               ?? throw new FanoutException(
                   $"{typeName} does not serve this Fanout's HTTP API (it is not an IHttpApiPlugin): reference the {PackageName} package " +
                   "of the same version as Fanout");
    }
}
