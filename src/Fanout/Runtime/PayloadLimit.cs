using System.Text;

namespace Fanout.Runtime;

/// <summary>Checks a JSON payload against the runtime's size limit.</summary>
internal static class PayloadLimit
{
    public static void Check(string json, long limit, string taskName, string what)
    {
        // Cheap first: a UTF-8 encoding takes at least one byte per char and at most three.
        if ((long)json.Length * 3 <= limit) return;
        var bytes = Encoding.UTF8.GetByteCount(json);
        if (bytes > limit) throw new PayloadTooLargeException(taskName, what, bytes, limit);
    }
}
