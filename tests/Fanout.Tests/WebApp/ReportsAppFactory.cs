using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Fanout.Tests.WebApp;

/// <summary>
/// The sample web app (src/Fanout.Samples.WebApp) hosted in the test process, its appsettings.json read as it is,
/// with <paramref name="settings"/> laid over it the way command-line arguments would be (say Fanout:Seeds:0).
/// </summary>
// ReportOrder names the app's assembly: several programs the tests reference have a global Program class.
internal sealed class ReportsAppFactory(params (string Key, string Value)[] settings) : WebApplicationFactory<ReportOrder>
{
    /// <summary>
    /// A content root of the test's own instead of the app's project folder: the app finds no appsettings.json (so no
    /// "Fanout" section) and keeps its files there.
    /// </summary>
    public string? ContentRoot { get; init; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        if (ContentRoot is not null) builder.UseContentRoot(ContentRoot);
        foreach (var (key, value) in settings) builder.UseSetting(key, value);
    }
}
