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
}
