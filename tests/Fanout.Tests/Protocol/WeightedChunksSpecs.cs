using Fanout.Protocol;
using Fanout.Runtime;

namespace Fanout.Tests.Protocol;

public sealed class WeightedChunksSpecs
{
    [Fact]
    public void Chunks_keep_order_and_respect_count_and_weight_bounds()
    {
        var items = Enumerable.Range(1, 10).ToList();

        var chunks = WeightedChunks.Split(items, maxCount: 3, maxWeight: 10, weight: i => i).ToList();

        Assert.Equal(items, chunks.SelectMany(c => c));
        Assert.All(chunks, c => Assert.InRange(c.Count, 1, 3));
        Assert.All(chunks.Where(c => c.Count > 1), c => Assert.InRange(c.Sum(), 1, 10));
        Assert.Equal(new[] { 1, 2, 3 }, chunks[0]);
        Assert.Equal(new[] { 4, 5 }, chunks[1]);
    }

    [Fact]
    public void An_item_heavier_than_the_bound_travels_alone()
    {
        var chunks = WeightedChunks.Split(new[] { 1, 50, 2 }, maxCount: 10, maxWeight: 10, weight: i => i).ToList();

        Assert.Equal(new[] { new[] { 1 }, new[] { 50 }, new[] { 2 } }, chunks.Select(c => c.ToArray()));
    }

    [Fact]
    public void An_item_too_large_for_a_frame_is_replaced_or_left_out_never_sent_as_it_is()
    {
        var huge = WireLimits.MaxItemBytes + 1;
        var items = new[] { new Item("a", 10), new Item("big", huge), new Item("gone", huge), new Item("b", 10) };
        var seen = new List<(string, long)>();

        var chunks = WeightedChunks.SplitForWire(items, maxCount: 10, maxWeight: 100, weight: i => i.Weight, tooLarge: (item, weight) =>
        {
            seen.Add((item.Name, weight));
            return item.Name == "big" ? new Item("big failed", 5) : null;
        }).ToList();

        Assert.Equal(["a", "big failed", "b"], chunks.SelectMany(c => c).Select(i => i.Name));
        Assert.Equal([("big", huge), ("gone", huge)], seen);
    }

    [Fact]
    public void Items_that_fit_a_frame_are_chunked_as_usual()
    {
        var items = new[] { new Item("a", WireLimits.MaxItemBytes), new Item("b", 1) };

        var chunks = WeightedChunks.SplitForWire(items, 10, 100, i => i.Weight, (_, _) => throw new InvalidOperationException("nothing is too large")).ToList();

        Assert.Equal([["a"], ["b"]], chunks.Select(c => c.Select(i => i.Name).ToArray()));
    }

    [Fact]
    public void A_replacement_too_large_itself_is_an_error_naming_the_sizes()
    {
        var items = new[] { new Item("big", WireLimits.MaxItemBytes + 1) };

        var error = Assert.Throws<InvalidOperationException>(() =>
            WeightedChunks.SplitForWire(items, 10, 100, i => i.Weight, (i, _) => i).ToList());

        Assert.Contains("itself 4,128,769 bytes", error.Message);
    }

    [Fact]
    public void Weight_counts_payloads_in_UTF8_bytes_and_errors_as_escaped_JSON()
    {
        Assert.Equal(128 + 2 + 3 + 4, WeightedChunks.Of("é", "€😀"));
        Assert.Equal(128 + (2 + 1) + (2 + 2) + (2 + 6), WeightedChunks.Of(null, null, new ErrorInfo("E", "\"", "\u0001")));
    }

    [Fact]
    public void A_report_too_large_to_send_becomes_a_failure_naming_the_action_and_its_size()
    {
        var huge = "\"" + new string('x', 4_200_000) + "\"";
        var reports = new[]
        {
            new AttemptFinished("r", "r/env.t#4", 2, OutcomeKind.Succeeded, huge, null, Retryable: false),
            new AttemptFinished("r", "r/env.t#5", 1, OutcomeKind.Succeeded, "\"x\"", null, Retryable: false),
        };

        // Weighed as the executor weighs its reports.
        var sent = WeightedChunks.SplitForWire(reports, 10, 64 * 1024, r => WeightedChunks.Of(r.ResultJson, r.ActionId, r.Error),
            TooLargeToSend.Report).SelectMany(c => c).ToList();

        Assert.Equal(OutcomeKind.Failed, sent[0].Kind);
        Assert.Null(sent[0].ResultJson);
        Assert.False(sent[0].Retryable);
        Assert.Equal("Fanout.PayloadTooLargeException", sent[0].Error!.Type);
        Assert.StartsWith("The outcome of action 'r/env.t#4' is 4,200,139 bytes, over the 4,128,768 bytes", sent[0].Error!.Message);
        Assert.Equal(reports[1], sent[1]);
    }

    private sealed record Item(string Name, long Weight);
}
