using System.Text;

namespace Fanout.Tests.Fuzz;

/// <summary>Run snapshots (manifest "S") whose length fields lie, for the specs that feed them to the serializer.</summary>
internal static class CorruptSnapshots
{
    /// <summary>A current-version snapshot head that announces <paramref name="actionCount"/> actions and holds none.</summary>
    public static byte[] AnnouncingActions(int actionCount) => Write(writer =>
    {
        writer.Write((byte)3); // the current version
        writer.Write("run-1");
        writer.Write(false); // no root task
        writer.Write("Running");
        writer.Write(1L);
        writer.Write(0L);
        writer.Write7BitEncodedInt(actionCount);
    });

    /// <summary>A snapshot whose first string (the run id) claims <paramref name="length"/> bytes and has three.</summary>
    public static byte[] WithRunIdClaiming(int length) => Write(writer =>
    {
        writer.Write((byte)3);
        writer.Write7BitEncodedInt(length);
        writer.Write("abc"u8);
    });

    private static byte[] Write(Action<BinaryWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true)) write(writer);
        return buffer.ToArray();
    }
}
