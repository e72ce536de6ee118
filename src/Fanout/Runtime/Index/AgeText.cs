using System.Globalization;

namespace Fanout.Runtime.Index;

/// <summary>
/// An age as operators write it: a TimeSpan (<c>7.00:00:00</c>, <c>12:00:00</c>) or a number with a unit
/// (<c>7d</c>, <c>12h</c>, <c>30m</c>, <c>45s</c>). Used by the purge request and FANOUT_RUN_RETENTION.
/// </summary>
internal static class AgeText
{
    /// <summary>The age <paramref name="text"/> says, or the reason it says none (which names what was wrong).</summary>
    public static bool TryParse(string? text, out TimeSpan age, out string? problem)
    {
        age = default;
        problem = null;
        var trimmed = text?.Trim() ?? "";
        if (trimmed.Length >= 2 && char.IsAsciiLetter(trimmed[^1])
            && double.TryParse(trimmed.AsSpan(0, trimmed.Length - 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var amount)
            && double.IsFinite(amount))
        {
            double? seconds = char.ToLowerInvariant(trimmed[^1]) switch
            {
                'd' => amount * 86_400,
                'h' => amount * 3_600,
                'm' => amount * 60,
                's' => amount,
                _ => null,
            };
            if (seconds is { } s && s < TimeSpan.MaxValue.TotalSeconds) age = TimeSpan.FromSeconds(s);
            else
            {
                problem = $"'{text}' is not an age: the unit must be d, h, m or s (as in 7d, 12h, 30m)";
                return false;
            }
        }
        else if (!TimeSpan.TryParse(trimmed, CultureInfo.InvariantCulture, out age))
        {
            problem = $"'{text}' is not an age: write a TimeSpan (7.00:00:00) or a number with d, h, m or s (7d, 12h, 30m)";
            return false;
        }
        if (age <= TimeSpan.Zero)
        {
            problem = $"'{text}' is not an age: it must be more than zero";
            return false;
        }
        return true;
    }
}
