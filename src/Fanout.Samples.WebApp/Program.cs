using System.Text.Json;
using System.Text.Json.Serialization;
using Fanout;
using Fanout.Hosting;
using Fanout.Samples.Reports;

var builder = WebApplication.CreateBuilder(args);

// With a "Fanout" section the app is a client member of the cluster it names: it joins when the app starts and runs
// no actions. Without one, it runs Fanout in the process, a cluster of one with its journal beside the app.
var fanoutSection = builder.Configuration.GetSection("Fanout");
if (fanoutSection.Exists())
    builder.Services.AddFanoutClient(fanoutSection);
else
    builder.Services.AddFanoutEmbedded(configure: options =>
        options.DatabasePath = Path.Combine(builder.Environment.ContentRootPath, "fanout-data", "reports.db"));
builder.Services.AddHealthChecks().AddFanoutHealthChecks();
builder.Services.ConfigureHttpJsonOptions(json =>
    json.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase)));

var app = builder.Build();

app.MapPost("/reports", async (ReportOrder order, IFanoutClient fanout, CancellationToken ct) =>
{
    if (order.Items is < 1 or > 100_000)
        return Results.BadRequest(new { error = $"items must be from 1 to 100000 (got {order.Items})" });
    var run = await fanout.RunAsync(ReportTasks.Build, order.Items, ct);
    return Results.Accepted($"/reports/{run.Id}", new { id = run.Id, url = run.Url });
});

app.MapGet("/reports/{id:regex(^[A-Za-z0-9_-]{{1,64}}$)}", async (string id, IFanoutClient fanout, CancellationToken ct) =>
{
    var run = fanout.GetRun<Report>(id);
    RunSummary summary;
    try
    {
        summary = await run.GetSummaryAsync(ct);
    }
    catch (FanoutException e) when (e is not ClientRemovedException)
    {
        // No run was ever started under this id, or the run did not answer in time: either way, nothing to show.
        return Results.NotFound(new { error = e.Message });
    }
    var report = summary.Status == RunStatus.Succeeded ? await run.WaitAsync(ct) : null;
    return Results.Ok(new
    {
        id, status = summary.Status, actions = summary.TotalActions, report, error = summary.Error?.Message,
    });
});

app.MapHealthChecks("/health");

app.Run();

/// <summary>The body of POST /reports: how many lines the report has.</summary>
internal sealed record ReportOrder(int Items);
