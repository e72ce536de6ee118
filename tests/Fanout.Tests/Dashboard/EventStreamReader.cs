using System.Diagnostics;

namespace Fanout.Tests.Dashboard;

/// <summary>Reads a server-sent event stream one event at a time, with the moment each arrived.</summary>
public sealed class EventStreamReader(StreamReader reader)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    /// <summary>The next event, or null when the stream ended.</summary>
    public async Task<ServerEvent?> NextAsync(CancellationToken ct)
    {
        string? name = null;
        var data = new List<string>();
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            if (line.Length == 0)
            {
                if (name is null && data.Count == 0) continue;
                return new ServerEvent(name ?? "message", string.Join('\n', data), _clock.Elapsed);
            }
            if (line.StartsWith("event: ", StringComparison.Ordinal)) name = line["event: ".Length..];
            else if (line.StartsWith("data: ", StringComparison.Ordinal)) data.Add(line["data: ".Length..]);
        }
        return null;
    }
}

/// <summary>One event: its name, its data and when it arrived since the reader was made.</summary>
public sealed record ServerEvent(string Name, string Data, TimeSpan At);
