using Microsoft.AspNetCore.Http;

namespace Fanout.Dashboard;

/// <summary>303 See Other: after a form post or a refused navigation, the browser follows with a GET.</summary>
internal sealed class SeeOther(string path) : IResult
{
    public Task ExecuteAsync(HttpContext http)
    {
        http.Response.StatusCode = StatusCodes.Status303SeeOther;
        http.Response.Headers.Location = path;
        return Task.CompletedTask;
    }
}
