using System.CommandLine;

namespace Fanout.Cli.Commands;

/// <summary>Bounds on a whole-number option, checked at parse time so a value out of range is a usage error (exit 2).</summary>
internal static class IntRange
{
    public static Option<int> Within(this Option<int> option, int min, int max)
    {
        option.Validators.Add(result =>
        {
            // A value that is not a number already has its parse error; only a number can be out of range.
            if (result.Tokens.Count == 1 && int.TryParse(result.Tokens[0].Value, out var value) && (value < min || value > max))
                result.AddError(max == int.MaxValue ? $"{option.Name} must be {min} or more" : $"{option.Name} must be between {min} and {max}");
        });
        return option;
    }
}
