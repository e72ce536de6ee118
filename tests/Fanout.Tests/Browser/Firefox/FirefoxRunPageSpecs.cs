using System.Text.Json;
using Fanout.Tests.Support;

namespace Fanout.Tests.Browser.Firefox;

/// <summary>
/// The run pages in Firefox (Debian's ESR, over WebDriver BiDi): the same walk a person takes in the Chromium specs, from
/// the runs list through a folded group and the failed filter (swapped in place, back and forward) to a stack trace, and
/// a run whose counts move without a reload until it ends. What the pages use (EventSource, fetch, DOMParser,
/// details/summary, history.pushState, :scope) is checked in the second engine the issue names.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class FirefoxRunPageSpecs(FinishedRunsFixture runs)
{
    private const int Leaves = 6;

    [Fact]
    public async Task From_the_runs_list_through_a_group_and_the_failed_filter_to_a_stack_trace()
    {
        await using var firefox = await FirefoxBrowser.StartAsync();
        await RunAsync(firefox, nameof(From_the_runs_list_through_a_group_and_the_failed_filter_to_a_stack_trace), async () =>
        {
            var runId = runs.RegionsRunId;
            await firefox.NavigateAsync(runs.Dashboard.Page("ui/runs"));
            var row = $"table#runs tr[data-run-id={Js(runId)}]";
            await firefox.WaitUntilAsync($"document.querySelector({Js(row + " a.run-link")})", "the run's row in the runs list");
            await firefox.EvaluateAsync($"document.querySelector({Js(row + " a.run-link")}).click()");
            await firefox.WaitUntilAsync($"document.querySelector('#run-id')?.textContent === {Js(runId)}", "the run's page", "document.title");

            // region folds eu and us: opened by its summary, as a click opens it.
            const string Region = "#group-tree details[data-group=\"region\"]";
            const string Eu = Region + " details[data-group=\"region/eu\"]";
            await firefox.EvaluateAsync($"document.querySelector({Js(Region + " > summary")}).click()");
            await firefox.WaitUntilAsync($"document.querySelector({Js(Region)}).open && document.querySelector({Js(Eu + " > summary")}).getClientRects().length > 0",
                "the region folder open, showing eu");
            Assert.Equal(Js("2"), await firefox.EvaluateAsync($"document.querySelector({Js(Eu + " > summary [data-group-count=\"failed\"]")}).textContent"));

            // eu's filter link, then failed: both swap the table in place (the marker stays) and push the URL.
            await firefox.EvaluateAsync("window.fanoutSpecMarker = 'kept'");
            await firefox.EvaluateAsync($"document.querySelector({Js(Eu + " > summary a.filter-group")}).click()");
            await firefox.WaitUntilAsync("document.querySelector('input#action-group').value === 'region/eu' && location.search.includes('group=region%2Feu')",
                "eu's actions", "location.href");
            await firefox.EvaluateAsync("(() => { const s = document.querySelector('select#action-status'); s.value = 'failed'; " +
                                        "document.querySelector('form#actions-filter').requestSubmit(); })()");
            const string Rows = "table#actions tr[data-action-id]";
            await firefox.WaitUntilAsync(
                $"[...document.querySelectorAll({Js(Rows)})].map(r => r.querySelector('td.action-status').textContent.trim().toLowerCase() + ' ' + " +
                "r.querySelector('td.action-group').textContent.trim()).join() === 'failed region/eu,failed region/eu'",
                "eu's two failed actions", $"[...document.querySelectorAll({Js(Rows)})].map(r => r.textContent.trim()).join(' | ')");
            Assert.Equal(Js("kept"), await firefox.EvaluateAsync("window.fanoutSpecMarker"));
            Assert.Contains("status=failed", await firefox.UrlAsync());

            await firefox.EvaluateAsync("history.back()");
            await firefox.WaitUntilAsync($"document.querySelectorAll({Js(Rows)}).length === {FinishedRunsFixture.PerGroup} && " +
                                         "document.querySelector('select#action-status').value === ''", "back to eu's page of all its actions");
            await firefox.EvaluateAsync("history.forward()");
            await firefox.WaitUntilAsync($"document.querySelectorAll({Js(Rows)}).length === 2", "forward to the failed ones again");

            var actionId = JsonSerializer.Deserialize<string>(await firefox.EvaluateAsync($"document.querySelector({Js(Rows)}).getAttribute('data-action-id')"))!;
            await firefox.EvaluateAsync($"document.querySelector({Js(Rows + " a.action-link")}).click()");
            await firefox.WaitUntilAsync($"document.querySelector('#action-id')?.textContent === {Js(actionId)}", "the failed action's page", "document.title");
            await firefox.WaitUntilAsync($"document.querySelector('pre#stack-trace')?.textContent.includes({Js(BrowserTasks.FailingFrame)})",
                "its stack trace");
            Assert.Contains(nameof(InvalidOperationException), await firefox.EvaluateAsync("document.querySelector('#error-type').textContent"));
        });
    }

    [Fact]
    public async Task Counts_change_without_a_reload_while_the_run_goes_and_the_page_says_when_it_ended()
    {
        using var gate = new Gate();
        var run = await runs.Dashboard.Runtime.RunAsync(BrowserTasks.Gated, (gate.Name, Leaves));
        await using var firefox = await FirefoxBrowser.StartAsync();
        await RunAsync(firefox, nameof(Counts_change_without_a_reload_while_the_run_goes_and_the_page_says_when_it_ended), async () =>
        {
            // The run's own Url, as a program prints it.
            await firefox.NavigateAsync(run.Url!.ToString());
            const string Succeeded = "document.querySelector('[data-count=\"succeeded\"]').textContent";
            await firefox.WaitUntilAsync($"document.querySelector('#run-status').textContent === 'Running' && {Succeeded} === '0'", "the running run's page");
            await firefox.EvaluateAsync("window.fanoutSpecNoReload = 'same page'");

            gate.Release(2);
            await firefox.WaitUntilAsync($"{Succeeded} === '2'", "two leaves counted", Succeeded);
            gate.Release(Leaves - 2);
            await firefox.WaitUntilAsync($"{Succeeded} === '{Leaves + 1}'", "the leaves and the root counted", Succeeded);
            await firefox.WaitUntilAsync(
                $"document.querySelector('#group-tree details[data-group=\"gated\"] > summary [data-group-count=\"succeeded\"]').textContent === '{Leaves}'",
                "the gated folder's count");
            await firefox.WaitUntilAsync("document.querySelector('#live').getAttribute('data-state') === 'ended' && " +
                                         "document.querySelector('#run-status').textContent === 'Succeeded'", "the page to say the run ended");
            Assert.Equal(Js("same page"), await firefox.EvaluateAsync("window.fanoutSpecNoReload"));
        });
        Assert.Equal(Leaves, await run.WaitAsync(Deadlines.EmbeddedRun, "the gated run to end"));
    }

    /// <summary>A value as a JavaScript (JSON) string literal.</summary>
    private static string Js(string value) => JsonSerializer.Serialize(value);

    /// <summary>Runs the steps; when one fails, saves what Firefox shows and the page's HTML and names both.</summary>
    private static async Task RunAsync(FirefoxBrowser firefox, string spec, Func<Task> steps)
    {
        try
        {
            await steps();
        }
        catch (Exception failure)
        {
            var folder = Path.Combine(BrowserFixture.OutputFolder, "failures");
            var stem = Path.Combine(folder, $"firefox-{spec}-{DateTime.UtcNow:HHmmss-fff}");
            string saved;
            try
            {
                Directory.CreateDirectory(folder);
                await File.WriteAllBytesAsync(stem + ".png", await firefox.ScreenshotAsync());
                await File.WriteAllTextAsync(stem + ".html",
                    JsonSerializer.Deserialize<string>(await firefox.EvaluateAsync("document.documentElement.outerHTML")));
                saved = $"the page is saved as {stem}.png and {stem}.html";
            }
            catch (Exception e) when (e is InvalidOperationException or TimeoutException or IOException)
            {
                saved = $"the page could not be saved ({e.GetType().Name}: {e.Message})";
            }
            throw new BrowserSpecFailedException($"{spec} (Firefox) failed; {saved}", failure);
        }
    }
}
