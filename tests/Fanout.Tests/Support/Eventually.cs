namespace Fanout.Tests.Support;

/// <summary>Polling with a deadline, for conditions that other threads or processes make true.</summary>
public static class Eventually
{
    public static async Task True(Func<bool> condition, TimeSpan within, string what)
    {
        var deadline = DateTime.UtcNow + within;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Timed out after {within} waiting for: {what}");
            await Task.Delay(20);
        }
    }

    public static async Task<T> Value<T>(Func<Task<T>> probe, Func<T, bool> accept, TimeSpan within, string what)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            var value = await probe();
            if (accept(value)) return value;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Timed out after {within} waiting for: {what} (last: {value})");
            await Task.Delay(20);
        }
    }
}
