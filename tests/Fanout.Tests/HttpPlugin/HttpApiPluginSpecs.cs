using Fanout.Runtime;
using Fanout.Tests.EndToEnd;
using Fanout.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fanout.Tests.HttpPlugin;

/// <summary>
/// The runtime finds its HTTP API by type name (<see cref="HttpApiPlugins"/>), so the SDK does not reference ASP.NET
/// Core. This test process always has Fanout.Http; an app without it is what a runtime looking for a name that does not
/// resolve sees (<see cref="FanoutRuntimeOptions.HttpApiPluginType"/>), the way Type.GetType answers for a missing assembly.
/// </summary>
public sealed class HttpApiPluginSpecs
{
    private const string Missing = "Fanout.Http.HttpApiPlugin, Fanout.Http.NotInThisApp";

    [Fact]
    public void The_name_the_runtime_looks_for_is_Fanout_Https_plugin()
    {
        var log = new CapturedLog();
        var plugin = HttpApiPlugins.Find(HttpApiPlugins.DefaultTypeName, log.Factory.CreateLogger("spec"));

        Assert.IsType<Fanout.Http.HttpApiPlugin>(plugin);
        Assert.Equal("Fanout.Http", plugin.GetType().Assembly.GetName().Name);
        Assert.Empty(log.Lines);
    }

    [Fact]
    public async Task Without_Fanout_Http_a_runtime_runs_without_the_API_warns_naming_the_package_and_its_run_urls_are_null()
    {
        await using var journal = await TestJournal.CreateAsync(FanoutJournal.Sqlite);
        var log = new CapturedLog();
        var options = journal.Options();
        options.HttpApiPluginType = Missing;
        options.LoggerFactory = log.Factory;
        await using var runtime = await FanoutRuntime.StartEmbeddedAsync(options);

        Assert.Null(runtime.BaseUrl);
        Assert.Null(runtime.ListeningUrl);
        var run = await runtime.RunAsync(PatternTasks.Square, 7);
        Assert.Null(run.Url);
        Assert.Equal(49, await run.EndsAsync("a square on a runtime without the HTTP API"));
        var warning = Assert.Single(log.Lines, line => line.StartsWith("Warning ", StringComparison.Ordinal) && line.Contains(Missing));
        Assert.Contains("reference the Fanout.Http package", warning);
        Assert.Contains("HttpPort", warning);
    }

    [Fact]
    public async Task With_the_API_off_the_runtime_does_not_look_for_it_or_warn()
    {
        await using var journal = await TestJournal.CreateAsync(FanoutJournal.Sqlite);
        var log = new CapturedLog();
        var options = journal.Options();
        options.HttpPort = null;
        options.HttpApiPluginType = Missing;
        options.LoggerFactory = log.Factory;
        await using var runtime = await FanoutRuntime.StartEmbeddedAsync(options);

        Assert.Null(runtime.BaseUrl);
        Assert.DoesNotContain(log.Lines, line => line.Contains("Fanout.Http"));
    }

    [Fact]
    public void A_type_that_is_not_an_HTTP_API_plugin_is_refused_naming_the_package()
    {
        var error = Assert.Throws<FanoutException>(() => HttpApiPlugins.Find(typeof(object).AssemblyQualifiedName!, NullLogger.Instance));

        Assert.Contains("is not an IHttpApiPlugin", error.Message);
        Assert.Contains("Fanout.Http package", error.Message);
    }
}
