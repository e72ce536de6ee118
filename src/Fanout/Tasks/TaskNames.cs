namespace Fanout;

/// <summary>Rules for environment, task and group names, which become parts of action ids.</summary>
internal static class TaskNames
{
    public static string Validate(string name, string parameterName)
    {
        if (string.IsNullOrWhiteSpace(name))
            throw new ArgumentException("a name must not be empty", parameterName);
        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
                throw new ArgumentException(
                    $"'{name}' is not a valid name: use letters, digits, '_' and '-' (found '{c}')", parameterName);
        }
        return name;
    }
}
