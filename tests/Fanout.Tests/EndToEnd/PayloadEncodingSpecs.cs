using System.Text.Json;
using System.Text.RegularExpressions;
using Fanout.ClusterApp;
using Fanout.Tests.Support;

namespace Fanout.Tests.EndToEnd;

/// <summary>
/// Payloads count as the UTF-8 JSON they are, on one node: a 900 KB result of quotes, accented text and emoji
/// (over 2 MB as System.Text.Json's default escaping writes it) passes the 1 MiB limit, travels through the
/// serializer and the journal, and comes back whole; one over the limit fails its action alone, naming it.
/// Messages are serialized as if they crossed nodes. The cluster specs do the same across processes.
/// </summary>
public abstract partial class PayloadEncodingSpecs(FanoutJournal journal) : IAsyncLifetime
{
    private const int NineHundredKb = 900 * 1024;
    private const int OverOneMiB = 1_100_000;
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(60);

    private TestJournal? _journal;
    private FanoutRuntime? _fanout;

    public async Task InitializeAsync()
    {
        _journal = await TestJournal.CreateAsync(journal);
        _fanout = await StartAsync();
    }

    private Task<FanoutRuntime> StartAsync()
    {
        var options = _journal!.Options();
        options.HttpPort = null;
        options.AkkaConfig = "akka.actor.serialize-messages = on";
        Assert.Equal(1024 * 1024, options.MaxPayloadBytes); // the default limit is the one under test
        return FanoutRuntime.StartEmbeddedAsync(options);
    }

    [Fact]
    public async Task A_900_KB_result_of_quotes_and_non_ASCII_text_is_accepted_and_arrives_whole_also_after_a_restart()
    {
        var expected = PayloadTasks.TextOf(NineHundredKb);
        Assert.True(JsonSerializer.Serialize(expected).Length > 2 * 1024 * 1024, "the default escaping would have counted it over twice the limit");

        var run = await _fanout!.RunAsync(PayloadTasks.Produce, NineHundredKb);
        var sample = await run.WaitAsync(Within, "the 900 KB result run to end");
        Assert.True(sample.Text == expected, $"the text came back changed ({sample.Text.Length:N0} chars, {expected.Length:N0} sent)");

        // A restarted node reads the result back from the journal.
        await _fanout.DisposeAsync();
        _fanout = await StartAsync();
        var again = await _fanout.GetRun<Sample>(run.Id).WaitAsync(Within, "the run read back to end");
        Assert.True(again.Text == expected, "the text read back from the journal is not the one written");
    }

    [Fact]
    public async Task Results_of_900_KB_reach_their_parent_whole()
    {
        var run = await _fanout!.RunAsync(PayloadTasks.Relay, (3, NineHundredKb));
        var relayed = await run.WaitAsync(Within, "the relay of 900 KB leaves to end");

        Assert.Equal(3, relayed.Leaves.Length);
        Assert.All(relayed.Leaves, leaf => Assert.True(leaf.Intact, $"leaf {leaf.Position} arrived changed ({leaf.Utf8Bytes:N0} bytes)"));
        Assert.All(relayed.Leaves, leaf => Assert.InRange(leaf.Utf8Bytes, 800 * 1024, NineHundredKb));
    }

    [Fact]
    public async Task A_result_over_the_limit_fails_its_action_naming_it_the_size_and_the_limit_and_its_siblings_succeed()
    {
        var run = await _fanout!.RunAsync(PayloadTasks.Mixed, [1000, OverOneMiB, NineHundredKb]);
        var ended = await run.WaitAsync(Within, "the run with one result too large to end");

        Assert.True(ended[0].Succeeded && ended[2].Succeeded, $"siblings failed: {ended[0]}, {ended[2]}");
        Assert.InRange(ended[2].Utf8Bytes, 800 * 1024, NineHundredKb);
        Assert.False(ended[1].Succeeded);
        Assert.Equal("Fanout.PayloadTooLargeException", ended[1].RemoteType);
        Assert.Contains("The output of task 'payload.text' is ", ended[1].Message);
        Assert.Contains("over the limit of 1,048,576 bytes", ended[1].Message);
        var bytes = long.Parse(SizeInMessage().Match(ended[1].Message!).Groups[1].Value.Replace(",", ""), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(bytes, OverOneMiB - 16, OverOneMiB + 64); // the Sample around the text: the node's name and two property names

        var summary = await run.GetSummaryAsync();
        Assert.Equal(RunStatus.Succeeded, summary.Status);
        Assert.Equal(1, summary.Counts[ActionStatus.Failed]);
        Assert.Equal(3, summary.Counts[ActionStatus.Succeeded]); // the parent and both siblings
        var failed = (await run.GetActionsAsync(new ActionQuery(ActionStatus.Failed))).Actions.Single();
        Assert.Equal($"{run.Id}/payload.text#1", failed.ActionId);
        Assert.Equal(1, failed.Attempts); // the same result would be as large again: no retry
    }

    [GeneratedRegex(@" is ([\d,]+) bytes")]
    private static partial Regex SizeInMessage();

    public async Task DisposeAsync()
    {
        if (_fanout is not null) await _fanout.DisposeAsync();
        if (_journal is not null) await _journal.DisposeAsync();
    }
}

public sealed class PayloadEncodingSpecsOnSqlite() : PayloadEncodingSpecs(FanoutJournal.Sqlite);

public sealed class PayloadEncodingSpecsOnPostgres() : PayloadEncodingSpecs(FanoutJournal.PostgreSql);
