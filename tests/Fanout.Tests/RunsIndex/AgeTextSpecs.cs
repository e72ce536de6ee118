using Fanout.Runtime.Index;

namespace Fanout.Tests.RunsIndex;

/// <summary>Ages for the purge request and FANOUT_RUN_RETENTION: a TimeSpan or a number with d, h, m or s.</summary>
public sealed class AgeTextSpecs
{
    [Theory]
    [InlineData("7d", 7 * 86_400)]
    [InlineData("12h", 12 * 3_600)]
    [InlineData("30m", 30 * 60)]
    [InlineData("1.5h", 5_400)]
    [InlineData("45s", 45)]
    [InlineData("7.00:00:00", 7 * 86_400)]
    [InlineData("00:00:01.5", 1.5)]
    public void An_age_reads_as_a_timespan_or_a_number_with_a_unit(string text, double seconds)
    {
        Assert.True(AgeText.TryParse(text, out var age, out var problem), problem);
        Assert.Equal(TimeSpan.FromSeconds(seconds), age);
    }

    [Theory]
    [InlineData("7w", "'7w' is not an age: the unit must be d, h, m or s")]
    [InlineData("0d", "'0d' is not an age: it must be more than zero")]
    [InlineData("", "'' is not an age")]
    [InlineData("week", "'week' is not an age")]
    public void A_bad_age_names_what_is_wrong(string text, string problem)
    {
        Assert.False(AgeText.TryParse(text, out _, out var why));
        Assert.StartsWith(problem, why);
    }
}
