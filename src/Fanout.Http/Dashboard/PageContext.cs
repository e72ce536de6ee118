using Fanout.Http.Security;
using Fanout.Views;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Fanout.Dashboard;

/// <summary>What every page needs to know about where and to whom it is shown.</summary>
/// <param name="ReadOnly">Served from a journal with no runtime: no start, no cancel, no cluster, a banner.</param>
/// <param name="MayAct">The caller may cancel and start (not a viewer token, not read-only).</param>
/// <param name="MaySeeStackTraces">As <see cref="ApiCallers.MaySeeStackTraces"/>.</param>
/// <param name="SignedIn">The caller came with the login cookie, so the page offers to sign out.</param>
/// <param name="Path">The public URL's path, which every URL on the page starts with.</param>
internal sealed record PageContext(bool ReadOnly, bool MayAct, bool MaySeeStackTraces, bool SignedIn, PublicPath Path)
{
    public static PageContext For(HttpContext http)
    {
        var views = http.RequestServices.GetRequiredService<IRunViews>();
        var caller = ApiCallers.Of(http);
        return new PageContext(views.ReadOnly, !views.ReadOnly && caller is not ApiCaller.Viewer,
            ApiCallers.MaySeeStackTraces(http), TokenCookie.CameWith(http), PublicPath.Of(http));
    }
}
