using Fanout.Protocol;

namespace Fanout.Tests.Protocol;

/// <summary>An error's texts are cut at documented bounds with a visible marker, however the error is made.</summary>
public sealed class ErrorInfoSpecs
{
    [Fact]
    public void A_huge_message_and_trace_are_cut_to_their_bounds_with_a_marker_keeping_their_start()
    {
        var message = "start of the message " + new string('m', 200_000);
        var trace = "   at Top()\n" + new string('t', 500_000);

        var error = new ErrorInfo("System.Exception", message, trace);

        Assert.Equal(ErrorInfo.MaxMessageChars, error.Message.Length);
        Assert.StartsWith("start of the message mmm", error.Message);
        Assert.EndsWith(" [... truncated by Fanout from 200,021 characters]", error.Message);
        Assert.Equal(ErrorInfo.MaxStackTraceChars, error.StackTrace!.Length);
        Assert.StartsWith("   at Top()\nttt", error.StackTrace);
        Assert.EndsWith(" [... truncated by Fanout from 500,012 characters]", error.StackTrace);
        Assert.Equal(16 * 1024, ErrorInfo.MaxMessageChars);
        Assert.Equal(64 * 1024, ErrorInfo.MaxStackTraceChars);
    }

    [Fact]
    public void An_exception_with_a_huge_message_is_flattened_within_the_bounds()
    {
        var error = ErrorInfo.From(new InvalidOperationException(new string('x', 1_000_000)));

        Assert.Equal("System.InvalidOperationException", error.Type);
        Assert.Equal(ErrorInfo.MaxMessageChars, error.Message.Length);
        Assert.Contains("truncated by Fanout from 1,000,000 characters", error.Message);
        Assert.True(Fanout.Runtime.WeightedChunks.Of(null, null, error) <= ErrorInfo.MaxWireBytes);
    }

    [Fact]
    public void Texts_within_the_bounds_are_kept_as_they_are()
    {
        var message = new string('m', ErrorInfo.MaxMessageChars);

        var error = new ErrorInfo("E", message, null);

        Assert.Same(message, error.Message);
        Assert.Null(error.StackTrace);
        Assert.Equal(new ErrorInfo("E", message, null), error);
    }

    [Fact]
    public void A_cut_never_splits_a_character_in_two()
    {
        // Emoji are two UTF-16 chars each: wherever the cut falls, no half of one is left before the marker.
        foreach (var lead in new[] { "", "x" })
        {
            var error = new ErrorInfo("E", lead + string.Concat(Enumerable.Repeat("😀", 20_000)), null);
            var kept = error.Message[..error.Message.IndexOf(" [... truncated", StringComparison.Ordinal)];
            Assert.False(char.IsHighSurrogate(kept[^1]), "the kept text ends in half a character");
        }
    }

    [Fact]
    public void An_error_read_back_from_the_wire_is_bounded_too()
    {
        var huge = new string('x', 100_000);
        var json = System.Text.Json.JsonSerializer.Serialize(new { Type = "E", Message = huge, StackTrace = huge });

        var error = System.Text.Json.JsonSerializer.Deserialize<ErrorInfo>(json)!;

        Assert.Equal(ErrorInfo.MaxMessageChars, error.Message.Length);
        Assert.Equal(ErrorInfo.MaxStackTraceChars, error.StackTrace!.Length);
    }
}
