using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Serialization;
using Fanout.Http;
using Fanout.Http.Security;
using Fanout.Views;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Fanout.Dashboard;

// Entry point for the read-only journal viewer (`fanout ui --db`): DashboardHost.StartReadOnlyAsync(views, options, ct)
// serves the run pages and the JSON read routes over any IRunViews, with the node's own HTTP pipeline. A node's
// RunApi is built on the same StartAsync, adding its write, cluster and health routes.

/// <summary>
/// The HTTP host of the run pages and the JSON read routes (<c>GET /tasks</c>, <c>/runs</c>, <c>/runs/{id}</c>,
/// <c>/runs/{id}/actions</c>) over an <see cref="IRunViews"/>, with the pipeline every Fanout HTTP surface has: Kestrel's
/// limits, the error catch-all (<see cref="ApiErrors"/>), the token check (<see cref="ApiAuthentication"/>, with the
/// login cookie), the body bound and the HTTPS certificate, all from <see cref="FanoutRuntimeOptions"/>' HTTP settings.
/// </summary>
internal sealed class DashboardHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly X509Certificate2? _certificate;

    private DashboardHost(WebApplication app, Uri baseUrl, X509Certificate2? certificate)
    {
        _app = app;
        BaseUrl = baseUrl;
        _certificate = certificate;
    }

    /// <summary>Where it listens, ending in <c>/</c> (the pages are at <c>{BaseUrl}ui/runs</c>).</summary>
    public Uri BaseUrl { get; }

    /// <summary>Every route as "METHOD /pattern", for the specs that check that each one is guarded.</summary>
    public IReadOnlyList<string> Routes => ((Microsoft.AspNetCore.Routing.IEndpointRouteBuilder)_app).DataSources
        .SelectMany(source => source.Endpoints).OfType<Microsoft.AspNetCore.Routing.RouteEndpoint>()
        .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.IHttpMethodMetadata>()?.HttpMethods ?? ["*"])
            .Select(method => $"{method} {e.RoutePattern.RawText}"))
        .ToList();

    /// <summary>
    /// Serves <paramref name="views"/> read-only (no start, cancel, purge, cluster or health routes) on
    /// <see cref="FanoutRuntimeOptions.HttpHost"/>:<see cref="FanoutRuntimeOptions.HttpPort"/> (0: any free port), with
    /// <see cref="FanoutRuntimeOptions.ApiToken"/>/<see cref="FanoutRuntimeOptions.ApiViewerToken"/>,
    /// <see cref="FanoutRuntimeOptions.AllowAnonymousApi"/>, the HTTPS certificate settings and
    /// <see cref="FanoutRuntimeOptions.LoggerFactory"/>; the other options are not read. Throws
    /// <see cref="ArgumentException"/> naming a bad security setting (as a node would refuse to start).
    /// </summary>
    public static Task<DashboardHost> StartReadOnlyAsync(IRunViews views, FanoutRuntimeOptions options, CancellationToken ct)
    {
        if (!views.ReadOnly) throw new ArgumentException("the read-only host takes read-only views (IRunViews.ReadOnly)", nameof(views));
        if (options.HttpPort is null) throw new ArgumentException("HttpPort must be set (0 for any free port)", nameof(options));
        ApiSecuritySettings.Validate(options);
        return StartAsync(views, options, configure: null, mapMore: null, ct);
    }

    /// <summary>
    /// The shared builder: <paramref name="configure"/> adds services, <paramref name="mapMore"/> adds routes (and the
    /// middleware they need) after the pages and read routes.
    /// </summary>
    internal static async Task<DashboardHost> StartAsync(IRunViews views, FanoutRuntimeOptions options,
        Action<WebApplicationBuilder>? configure, Action<WebApplication, ApiAuthentication>? mapMore, CancellationToken ct)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var loggerFactory = options.LoggerFactory ?? Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance;
        builder.Services.AddSingleton(loggerFactory);
        builder.Services.AddSingleton(views);
        var publicPath = PublicPath.Of(options.HttpPublicUrl);
        builder.Services.AddSingleton(publicPath);
        LoginRateLimit.Add(builder.Services);
        // Open event streams end on ApplicationStopping (RunEvents); this bounds anything else a stop waits for.
        builder.Services.Configure<Microsoft.Extensions.Hosting.HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(5));
        var bodyLimit = BodyLimit.For(options);
        var certificate = options.HttpsCertificatePath is null ? null : HttpsCertificate.Load(options);
        try
        {
            builder.WebHost.UseKestrel(kestrel =>
            {
                kestrel.AddServerHeader = false;
                kestrel.Limits.MaxRequestBodySize = bodyLimit;
                // Kestrel's defaults, stated: a request line (path and query) of 8 KiB, 32 KiB of headers, 100 of them.
                // Answered 414/431 by Kestrel before a route sees them.
                kestrel.Limits.MaxRequestLineSize = 8 * 1024;
                kestrel.Limits.MaxRequestHeadersTotalSize = 32 * 1024;
                kestrel.Limits.MaxRequestHeaderCount = 100;
                kestrel.Listen(System.Net.IPAddress.Parse(options.HttpHost), options.HttpPort!.Value, listen =>
                {
                    if (certificate is not null) listen.UseHttps(certificate);
                });
            });
            builder.Services.ConfigureHttpJsonOptions(json =>
            {
                json.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
                json.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
            });
            configure?.Invoke(builder);

            var app = builder.Build();
            // A proxy that forwards the public URL's path (/fanout/ui/runs) is answered as one that strips it (/ui/runs):
            // the path base comes off first, and routing (which WebApplication would otherwise put first) sees the rest.
            if (publicPath.Prefix.Length > 0) app.UsePathBase(publicPath.PathBase);
            app.UseRouting();
            ApiErrors.Use(app, loggerFactory.CreateLogger<DashboardHost>());
            var authentication = new ApiAuthentication(options);
            authentication.Use(app);
            BodyLimit.Use(app, bodyLimit);
            // The login's limit and, on a node, POST /runs' (StartRateLimit): each route names its policy.
            app.UseRateLimiter();
            RunApi.MapReads(app, views);
            DashboardRoutes.Map(app, views, authentication);
            mapMore?.Invoke(app, authentication);
            await app.StartAsync(ct).ConfigureAwait(false);

            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new DashboardHost(app, new Uri(address.EndsWith('/') ? address : address + "/"), certificate);
        }
        catch
        {
            certificate?.Dispose();
            throw;
        }
    }

    /// <summary>Stops listening; open event streams end at once.</summary>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _certificate?.Dispose();
    }
}
