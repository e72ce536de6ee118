using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Fanout.Http.Security;

/// <summary>
/// Request bodies are bounded before anything parses them: a payload at <see cref="FanoutRuntimeOptions.MaxPayloadBytes"/>
/// plus <see cref="Envelope"/> for the JSON around it (task name, run id, escaping slack). A declared length over it is
/// answered 413 at once; a chunked body is cut off by Kestrel's own limit (the same number) as it is read, and
/// <see cref="ApiErrors"/> answers that 413.
/// </summary>
internal static class BodyLimit
{
    public const int Envelope = 64 * 1024;

    public static long For(FanoutRuntimeOptions options) => (long)options.MaxPayloadBytes + Envelope;

    public static void Use(WebApplication app, long limit) => app.Use(async (http, next) =>
    {
        if (http.Request.ContentLength > limit)
        {
            http.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            await http.Response.WriteAsJsonAsync(new { error = TooLarge(limit) }, http.RequestAborted).ConfigureAwait(false);
            return;
        }
        await next(http).ConfigureAwait(false);
    });

    public static string TooLarge(HttpContext http) =>
        TooLarge(http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize);

    private static string TooLarge(long? limit) =>
        $"the request body is larger than this node takes ({limit} bytes: FanoutRuntimeOptions.MaxPayloadBytes plus {Envelope / 1024} KiB)";
}
