using Microsoft.AspNetCore.Http;

namespace Fanout.Dashboard;

/// <summary>
/// 303 See Other: after a form post or a refused navigation, the browser follows with a GET. The path is as the browser
/// asks for it, under the public URL's path (<see cref="PublicPath.To"/>).
/// </summary>
internal sealed class SeeOther(string path) : IResult
{
    public Task ExecuteAsync(HttpContext http)
    {
        http.Response.StatusCode = StatusCodes.Status303SeeOther;
        http.Response.Headers.Location = path;
        return Task.CompletedTask;
    }
}
