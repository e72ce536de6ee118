using System.Globalization;
using System.Runtime.Serialization;
using System.Text;

namespace Fanout.Protocol;

/// <summary>
/// Reads and writes <see cref="RunSnapshot"/> as binary. After a version byte and the run's fields, each
/// action is written compactly, because a snapshot of a million actions is the largest thing Fanout stores:
/// <list type="bullet">
/// <item>repeated values (parent, task, group, options, status) go into tables, written once and then
/// referred to by index;</item>
/// <item>a child's id, which is <c>{parent}/{group/}{task}#{position}</c> by construction, is written as its
/// position alone (any other id is written whole);</item>
/// <item>numbers are 7-bit encoded and times are offsets from the run's start.</item>
/// </list>
/// Enum values are stored by name, so reordering an enum never changes what a stored snapshot means.
/// </summary>
internal static class RunSnapshotCodec
{
    // Version 3 added each action's interrupted attempts; version 2 the options' node role. Versions 1
    // (no role) and 2 (no interrupted attempts) are still read.
    private const byte Version = 3;
    private const byte VersionWithoutInterruptions = 2;
    private const byte VersionWithoutRole = 1;
    private const byte IdWritten = 0;
    private const byte IdFromPosition = 1;

    public static byte[] Write(RunSnapshot snapshot) =>
        Write(snapshot with { Actions = [] }, snapshot.Actions.Count, snapshot.Actions);

    /// <summary>
    /// Writes the run's fields from <paramref name="run"/> (whose own action list is ignored) and then
    /// <paramref name="count"/> actions from <paramref name="actions"/>, read once, as they are written.
    /// </summary>
    public static byte[] Write(RunSnapshot run, int count, IEnumerable<ActionSnapshot> actions)
    {
        // About 30 bytes an action for a fan-out of small payloads: start near the final size, not from zero.
        using var buffer = new MemoryStream(64 + count * 32);
        using var writer = new BinaryWriter(buffer, Encoding.UTF8);
        var strings = new Table<string>(StringComparer.Ordinal);
        var options = new Table<CallOptions>(EqualityComparer<CallOptions>.Default);

        writer.Write(Version);
        writer.Write(run.RunId);
        WriteNullable(writer, run.RootTask);
        writer.Write(run.Status.ToString());
        writer.Write(run.StartedAtMs);
        writer.Write(run.FinishedAtMs);
        writer.Write7BitEncodedInt(count);
        var written = 0;
        foreach (var a in actions)
        {
            written++;
            if (PositionInParent(a) is { } position)
            {
                writer.Write(IdFromPosition);
                writer.Write7BitEncodedInt(position);
            }
            else
            {
                writer.Write(IdWritten);
                writer.Write(a.Id);
            }
            if (a.ParentId is null) writer.Write7BitEncodedInt(0);
            else strings.Write(writer, a.ParentId);
            strings.Write(writer, a.TaskName);
            strings.Write(writer, a.Group);
            writer.Write(a.InputJson);
            options.Write(writer, a.Options, WriteOptions);
            WriteTime(writer, a.StartedAtMs, run.StartedAtMs);
            strings.Write(writer, a.Status.ToString());
            writer.Write7BitEncodedInt(a.Attempts);
            writer.Write7BitEncodedInt(a.FailedAttempts);
            writer.Write7BitEncodedInt(a.InterruptedAttempts);
            WriteTime(writer, a.FinishedAtMs, run.StartedAtMs);
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
        if (version is not (Version or VersionWithoutInterruptions or VersionWithoutRole))
            throw new SerializationException(
                $"Fanout cannot read a run snapshot of version {version} (it reads versions {VersionWithoutRole} to {Version})");

        var strings = new List<string>();
        var options = new List<CallOptions>();
        var runId = reader.ReadString();
        var rootTask = ReadNullable(reader);
        var status = Enum.Parse<RunStatus>(reader.ReadString());
        var startedAtMs = reader.ReadInt64();
        var finishedAtMs = reader.ReadInt64();
        var actions = new ActionSnapshot[ActionCount(reader, bytes.Length)];
        var statuses = new Dictionary<string, ActionStatus>(StringComparer.Ordinal);
        for (var i = 0; i < actions.Length; i++)
        {
            var idForm = reader.ReadByte();
            var position = idForm == IdFromPosition ? reader.Read7BitEncodedInt() : -1;
            var writtenId = idForm switch
            {
                IdWritten => reader.ReadString(),
                IdFromPosition => null,
                _ => throw new SerializationException($"Run snapshot has an action id of unknown form {idForm}"),
            };
            var parentRef = reader.Read7BitEncodedInt();
            var parentId = parentRef == 0 ? null : Lookup(strings, parentRef, reader);
            var taskName = Lookup(strings, reader.Read7BitEncodedInt(), reader);
            var group = Lookup(strings, reader.Read7BitEncodedInt(), reader);
            var inputJson = reader.ReadString();
            var callOptions = Lookup(options, reader.Read7BitEncodedInt(), reader, r => ReadOptions(r, version));
            var actionStartedAtMs = ReadTime(reader, startedAtMs);
            var statusName = Lookup(strings, reader.Read7BitEncodedInt(), reader);
            if (!statuses.TryGetValue(statusName, out var actionStatus))
                statuses[statusName] = actionStatus = Enum.Parse<ActionStatus>(statusName);
            var attempts = reader.Read7BitEncodedInt();
            var failedAttempts = reader.Read7BitEncodedInt();
            var interruptedAttempts = version >= Version ? reader.Read7BitEncodedInt() : 0;
            var actionFinishedAtMs = ReadTime(reader, startedAtMs);
            var resultJson = ReadNullable(reader);
            var error = reader.ReadBoolean() ? new ErrorInfo(reader.ReadString(), reader.ReadString(), ReadNullable(reader)) : null;
            var id = writtenId ?? ChildId(parentId ?? throw new SerializationException("Run snapshot has a child id without a parent"),
                group, taskName, position);
            actions[i] = new ActionSnapshot(id, parentId, taskName, group, inputJson, callOptions, actionStartedAtMs,
                actionStatus, attempts, failedAttempts, actionFinishedAtMs, resultJson, error, interruptedAttempts);
        }
        return new RunSnapshot(runId, rootTask, status, startedAtMs, finishedAtMs, actions);
    }

    /// <summary>
    /// The child's position among its parent's calls of its task in its group, when its id is the one
    /// Fanout makes for such a call (<c>ActionContext.PrepareCall</c>); otherwise null, and the id is written whole.
    /// </summary>
    private static int? PositionInParent(in ActionSnapshot a)
    {
        if (a.ParentId is null) return null;
        var id = a.Id.AsSpan();
        if (!TakePrefix(ref id, a.ParentId) || !TakePrefix(ref id, "/")) return null;
        if (a.Group.Length > 0 && (!TakePrefix(ref id, a.Group) || !TakePrefix(ref id, "/"))) return null;
        if (!TakePrefix(ref id, a.TaskName) || !TakePrefix(ref id, "#")) return null;
        // Digits only, no sign or leading zero, so the id rebuilt from the number is the same text.
        if (id.Length == 0 || (id.Length > 1 && id[0] == '0')) return null;
        return int.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var position) ? position : null;
    }

    private static bool TakePrefix(ref ReadOnlySpan<char> text, string prefix)
    {
        if (!text.StartsWith(prefix, StringComparison.Ordinal)) return false;
        text = text[prefix.Length..];
        return true;
    }

    private static string ChildId(string parentId, string group, string taskName, int position) =>
        group.Length == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{parentId}/{taskName}#{position}")
            : string.Create(CultureInfo.InvariantCulture, $"{parentId}/{group}/{taskName}#{position}");

    // Times are offsets from the run's start, plus one so that 0 still means "not set".
    private static void WriteTime(BinaryWriter writer, long atMs, long runStartedAtMs) =>
        writer.Write7BitEncodedInt64(atMs == 0 ? 0 : Math.Max(0, atMs - runStartedAtMs) + 1);

    private static long ReadTime(BinaryReader reader, long runStartedAtMs) =>
        reader.Read7BitEncodedInt64() is var offset && offset == 0 ? 0 : runStartedAtMs + offset - 1;

    private static void WriteOptions(BinaryWriter writer, CallOptions o)
    {
        writer.Write7BitEncodedInt(o.Retries);
        writer.Write7BitEncodedInt64(o.TimeoutMs);
        writer.Write7BitEncodedInt64(o.BackoffMs);
        writer.Write7BitEncodedInt64(o.MaxBackoffMs);
        WriteNullable(writer, o.Role);
    }

    private static CallOptions ReadOptions(BinaryReader reader, byte version) =>
        new(reader.Read7BitEncodedInt(), reader.Read7BitEncodedInt64(), reader.Read7BitEncodedInt64(), reader.Read7BitEncodedInt64(),
            version >= 2 ? ReadNullable(reader) : null);

    private static void WriteNullable(BinaryWriter writer, string? value)
    {
        writer.Write(value is not null);
        if (value is not null) writer.Write(value);
    }

    // Every action takes several bytes, so a count beyond the bytes left is corrupt: refused before the
    // array is allocated (a flipped bit could otherwise ask for gigabytes).
    private static int ActionCount(BinaryReader reader, int length)
    {
        var count = reader.Read7BitEncodedInt();
        var left = length - reader.BaseStream.Position;
        if (count < 0 || count > left)
            throw new SerializationException($"Run snapshot announces {count} actions but has only {left} bytes left");
        return count;
    }

    private static string? ReadNullable(BinaryReader reader) => reader.ReadBoolean() ? reader.ReadString() : null;

    private static string Lookup(List<string> table, int reference, BinaryReader reader) =>
        Lookup(table, reference, reader, static r => r.ReadString());

    // References count from 1 (0 is "none" where a value may be missing); a reference one past the table's
    // end brings its value inline, right after it.
    private static T Lookup<T>(List<T> table, int reference, BinaryReader reader, Func<BinaryReader, T> read)
    {
        var index = reference - 1;
        if (index == table.Count) table.Add(read(reader));
        if ((uint)index >= (uint)table.Count)
            throw new SerializationException($"Run snapshot refers to table entry {reference} of {table.Count}");
        return table[index];
    }

    /// <summary>Values written once: a known value is written as its reference, a new one as the next reference and then itself.</summary>
    private sealed class Table<T>(IEqualityComparer<T> comparer) where T : notnull
    {
        private readonly Dictionary<T, int> _references = new(comparer);

        public void Write(BinaryWriter writer, T value, Action<BinaryWriter, T>? writeValue = null)
        {
            if (_references.TryGetValue(value, out var reference))
            {
                writer.Write7BitEncodedInt(reference);
                return;
            }
            reference = _references.Count + 1;
            _references[value] = reference;
            writer.Write7BitEncodedInt(reference);
            if (writeValue is null) writer.Write((string)(object)value);
            else writeValue(writer, value);
        }
    }
}
