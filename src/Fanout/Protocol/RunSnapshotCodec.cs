using System.Runtime.Serialization;
using System.Text;

namespace Fanout.Protocol;

/// <summary>
/// Reads and writes <see cref="RunSnapshot"/> as binary: a version byte, the run's fields, then each
/// action with its repeated values (parent, task, group, options, status) written once in a table and
/// referred to by index. About a third of the JSON size, and an order of magnitude faster to read.
/// Enum values are stored by name, so reordering an enum never changes what a stored snapshot means.
/// </summary>
internal static class RunSnapshotCodec
{
    private const byte Version = 1;

    public static byte[] Write(RunSnapshot snapshot) =>
        Write(snapshot with { Actions = [] }, snapshot.Actions.Count, snapshot.Actions);

    /// <summary>
    /// Writes the run's fields from <paramref name="run"/> (whose own action list is ignored) and then
    /// <paramref name="count"/> actions from <paramref name="actions"/>, read once, as they are written.
    /// </summary>
    public static byte[] Write(RunSnapshot run, int count, IEnumerable<ActionSnapshot> actions)
    {
        // About 40 bytes an action once repeated values are tables: start near the final size, not from zero.
        using var buffer = new MemoryStream(64 + count * 48);
        using var writer = new BinaryWriter(buffer, Encoding.UTF8);
        var strings = new Table<string>(StringComparer.Ordinal);
        var options = new Table<CallOptions>(EqualityComparer<CallOptions>.Default);

        writer.Write(Version);
        writer.Write(run.RunId);
        WriteNullable(writer, run.RootTask);
        writer.Write(run.Status.ToString());
        writer.Write(run.StartedAtMs);
        writer.Write(run.FinishedAtMs);
        writer.Write(count);
        var written = 0;
        foreach (var a in actions)
        {
            written++;
            writer.Write(a.Id);
            if (a.ParentId is null) writer.Write(-1);
            else strings.Write(writer, a.ParentId);
            strings.Write(writer, a.TaskName);
            strings.Write(writer, a.Group);
            writer.Write(a.InputJson);
            options.Write(writer, a.Options, WriteOptions);
            writer.Write(a.StartedAtMs);
            strings.Write(writer, a.Status.ToString());
            writer.Write(a.Attempts);
            writer.Write(a.FailedAttempts);
            writer.Write(a.FinishedAtMs);
            WriteNullable(writer, a.ResultJson);
            writer.Write(a.Error is not null);
            if (a.Error is { } error)
            {
                writer.Write(error.Type);
                writer.Write(error.Message);
                WriteNullable(writer, error.StackTrace);
            }
        }
        if (written != count) throw new InvalidOperationException($"Snapshot of run {run.RunId} announced {count} actions and had {written}");
        writer.Flush();
        return buffer.ToArray();
    }

    public static RunSnapshot Read(byte[] bytes)
    {
        using var reader = new BinaryReader(new MemoryStream(bytes, writable: false), Encoding.UTF8);
        var version = reader.ReadByte();
        if (version != Version)
            throw new SerializationException($"Fanout cannot read a run snapshot of version {version} (it reads version {Version})");

        var strings = new List<string>();
        var options = new List<CallOptions>();
        var runId = reader.ReadString();
        var rootTask = ReadNullable(reader);
        var status = Enum.Parse<RunStatus>(reader.ReadString());
        var startedAtMs = reader.ReadInt64();
        var finishedAtMs = reader.ReadInt64();
        var actions = new ActionSnapshot[reader.ReadInt32()];
        var statuses = new Dictionary<string, ActionStatus>(StringComparer.Ordinal);
        for (var i = 0; i < actions.Length; i++)
        {
            var id = reader.ReadString();
            var parentIndex = reader.ReadInt32();
            var parentId = parentIndex < 0 ? null : Lookup(strings, parentIndex, reader);
            var taskName = Lookup(strings, reader.ReadInt32(), reader);
            var group = Lookup(strings, reader.ReadInt32(), reader);
            var inputJson = reader.ReadString();
            var callOptions = Lookup(options, reader.ReadInt32(), reader, ReadOptions);
            var actionStartedAtMs = reader.ReadInt64();
            var statusName = Lookup(strings, reader.ReadInt32(), reader);
            if (!statuses.TryGetValue(statusName, out var actionStatus))
                statuses[statusName] = actionStatus = Enum.Parse<ActionStatus>(statusName);
            var attempts = reader.ReadInt32();
            var failedAttempts = reader.ReadInt32();
            var actionFinishedAtMs = reader.ReadInt64();
            var resultJson = ReadNullable(reader);
            var error = reader.ReadBoolean() ? new ErrorInfo(reader.ReadString(), reader.ReadString(), ReadNullable(reader)) : null;
            actions[i] = new ActionSnapshot(id, parentId, taskName, group, inputJson, callOptions, actionStartedAtMs,
                actionStatus, attempts, failedAttempts, actionFinishedAtMs, resultJson, error);
        }
        return new RunSnapshot(runId, rootTask, status, startedAtMs, finishedAtMs, actions);
    }

    private static void WriteOptions(BinaryWriter writer, CallOptions o)
    {
        writer.Write(o.Retries);
        writer.Write(o.TimeoutMs);
        writer.Write(o.BackoffMs);
        writer.Write(o.MaxBackoffMs);
    }

    private static CallOptions ReadOptions(BinaryReader reader) =>
        new(reader.ReadInt32(), reader.ReadInt64(), reader.ReadInt64(), reader.ReadInt64());

    private static void WriteNullable(BinaryWriter writer, string? value)
    {
        writer.Write(value is not null);
        if (value is not null) writer.Write(value);
    }

    private static string? ReadNullable(BinaryReader reader) => reader.ReadBoolean() ? reader.ReadString() : null;

    // A value's first use carries it inline right after its new index; later uses carry the index alone.
    private static string Lookup(List<string> table, int index, BinaryReader reader) =>
        Lookup(table, index, reader, static r => r.ReadString());

    private static T Lookup<T>(List<T> table, int index, BinaryReader reader, Func<BinaryReader, T> read)
    {
        if (index == table.Count) table.Add(read(reader));
        if ((uint)index >= (uint)table.Count)
            throw new SerializationException($"Run snapshot refers to table entry {index} of {table.Count}");
        return table[index];
    }

    /// <summary>Values written once: a known value is written as its index, a new one as the next index and then itself.</summary>
    private sealed class Table<T>(IEqualityComparer<T> comparer) where T : notnull
    {
        private readonly Dictionary<T, int> _indexes = new(comparer);

        public void Write(BinaryWriter writer, T value, Action<BinaryWriter, T>? writeValue = null)
        {
            if (_indexes.TryGetValue(value, out var index))
            {
                writer.Write(index);
                return;
            }
            index = _indexes.Count;
            _indexes[value] = index;
            writer.Write(index);
            if (writeValue is null) writer.Write((string)(object)value);
            else writeValue(writer, value);
        }
    }
}
