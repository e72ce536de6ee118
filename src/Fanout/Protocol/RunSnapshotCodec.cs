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
    // Version 4 added the run's node table and each attempt's node and times; version 3 each action's
    // interrupted attempts; version 2 the options' node role. Versions 1 (no role), 2 (no interrupted attempts)
    // and 3 (attempts only counted: earlier ones are rebuilt from the counts, with unknown nodes and times) are still read.
    private const byte Version = 4;
    private const byte VersionWithoutAttempts = 3;
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
        var nodes = run.Nodes ?? [];
        writer.Write7BitEncodedInt(nodes.Count);
        foreach (var node in nodes) writer.Write(node);
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
            WriteError(writer, a.Error);
            WriteNode(writer, strings, a.Node);
            // From the action's own start: usually the same moment, so one byte.
            WriteTime(writer, a.AttemptStartedAtMs, a.StartedAtMs);
            var earlier = a.EarlierAttempts ?? [];
            writer.Write7BitEncodedInt(earlier.Count);
            foreach (var past in earlier)
            {
                writer.Write7BitEncodedInt(past.Number);
                WriteNode(writer, strings, past.Node);
                WriteTime(writer, past.StartedAtMs, run.StartedAtMs);
                WriteTime(writer, past.EndedAtMs, run.StartedAtMs);
                strings.Write(writer, past.Outcome.ToString());
                WriteError(writer, past.Error);
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
        if (version is not (Version or VersionWithoutAttempts or VersionWithoutInterruptions or VersionWithoutRole))
            throw new SerializationException(
                $"Fanout cannot read a run snapshot of version {version} (it reads versions {VersionWithoutRole} to {Version})");

        var strings = new List<string>();
        var options = new List<CallOptions>();
        var runId = reader.ReadString();
        var rootTask = ReadNullable(reader);
        var status = Name<RunStatus>(reader.ReadString());
        var startedAtMs = reader.ReadInt64();
        var finishedAtMs = reader.ReadInt64();
        var nodes = version >= Version ? new string[Count(reader, bytes.Length, "nodes")] : [];
        for (var i = 0; i < nodes.Length; i++) nodes[i] = reader.ReadString();
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
                statuses[statusName] = actionStatus = Name<ActionStatus>(statusName);
            var attempts = reader.Read7BitEncodedInt();
            var failedAttempts = reader.Read7BitEncodedInt();
            var interruptedAttempts = version >= VersionWithoutAttempts ? reader.Read7BitEncodedInt() : 0;
            var actionFinishedAtMs = ReadTime(reader, startedAtMs);
            var resultJson = ReadNullable(reader);
            var error = ReadError(reader);
            string? node = null;
            long attemptStartedAtMs = 0;
            IReadOnlyList<PastAttempt>? earlier;
            if (version >= Version)
            {
                node = ReadNode(reader, strings);
                attemptStartedAtMs = ReadTime(reader, actionStartedAtMs);
                var past = new PastAttempt[Count(reader, bytes.Length, "earlier attempts")];
                for (var p = 0; p < past.Length; p++)
                {
                    var number = reader.Read7BitEncodedInt();
                    var pastNode = ReadNode(reader, strings);
                    var pastStart = ReadTime(reader, startedAtMs);
                    var pastEnd = ReadTime(reader, startedAtMs);
                    var outcome = Name<AttemptOutcome>(Lookup(strings, reader.Read7BitEncodedInt(), reader));
                    past[p] = new PastAttempt(number, pastNode, pastStart, pastEnd, outcome, ReadError(reader));
                }
                earlier = past.Length == 0 ? null : past;
            }
            else earlier = EarlierFromCounts(actionStatus, attempts, failedAttempts, interruptedAttempts);
            var id = writtenId ?? ChildId(parentId ?? throw new SerializationException("Run snapshot has a child id without a parent"),
                group, taskName, position);
            actions[i] = new ActionSnapshot(id, parentId, taskName, group, inputJson, callOptions, actionStartedAtMs,
                actionStatus, attempts, failedAttempts, actionFinishedAtMs, resultJson, error, interruptedAttempts,
                node, attemptStartedAtMs, earlier);
        }
        return new RunSnapshot(runId, rootTask, status, startedAtMs, finishedAtMs, actions, nodes);
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

    /// <summary>
    /// A snapshot written before attempts were kept one by one has only their counts: the attempts before the
    /// latest (and the latest itself, when it ended and the action goes on) are rebuilt from them, failures
    /// first, then hand-backs, the rest lost, with no node, time or error (the order is not recorded).
    /// </summary>
    private static PastAttempt[]? EarlierFromCounts(ActionStatus status, int attempts, int failed, int interrupted)
    {
        // A retry waiting, or a hand-back waiting for its next attempt: the latest attempt ended too.
        var ended = status is ActionStatus.Retrying or ActionStatus.Queued ? attempts : attempts - 1;
        if (status == ActionStatus.Failed) failed--; // the latest attempt's failure is the action's
        if (ended <= 0) return null;
        var past = new PastAttempt[ended];
        for (var number = 1; number <= ended; number++)
        {
            var outcome = failed-- > 0 ? AttemptOutcome.Failed : interrupted-- > 0 ? AttemptOutcome.Interrupted : AttemptOutcome.Lost;
            past[number - 1] = new PastAttempt(number, null, 0, 0, outcome, null);
        }
        return past;
    }

    /// <summary>
    /// An enum member by its written name, exactly. Enum.Parse would also take a number ("7": a value no member has, or
    /// one too large for the type: an OverflowException) or a list of names, which a corrupt snapshot must not turn into a state.
    /// </summary>
    private static T Name<T>(string name) where T : struct, Enum =>
        Enum.TryParse<T>(name, ignoreCase: false, out var value) && Enum.GetName(value) == name
            ? value
            : throw new SerializationException($"Run snapshot names {typeof(T).Name} '{(name.Length > 64 ? name[..64] + "..." : name)}', which is none");

    private static void WriteError(BinaryWriter writer, ErrorInfo? error)
    {
        writer.Write(error is not null);
        if (error is null) return;
        writer.Write(error.Type);
        writer.Write(error.Message);
        WriteNullable(writer, error.StackTrace);
    }

    private static ErrorInfo? ReadError(BinaryReader reader) =>
        reader.ReadBoolean() ? new ErrorInfo(reader.ReadString(), reader.ReadString(), ReadNullable(reader)) : null;

    // Nodes share the strings table (0: none); the run's ordered node table is written once, before the actions.
    private static void WriteNode(BinaryWriter writer, Table<string> strings, string? node)
    {
        if (node is null) writer.Write7BitEncodedInt(0);
        else strings.Write(writer, node);
    }

    private static string? ReadNode(BinaryReader reader, List<string> strings) =>
        reader.Read7BitEncodedInt() is var reference && reference == 0 ? null : Lookup(strings, reference, reader);

    private static void WriteNullable(BinaryWriter writer, string? value)
    {
        writer.Write(value is not null);
        if (value is not null) writer.Write(value);
    }

    // Every action takes several bytes, so a count beyond the bytes left is corrupt: refused before the
    // array is allocated (a flipped bit could otherwise ask for gigabytes).
    private static int ActionCount(BinaryReader reader, int length) => Count(reader, length, "actions");

    private static int Count(BinaryReader reader, int length, string what)
    {
        var count = reader.Read7BitEncodedInt();
        var left = length - reader.BaseStream.Position;
        if (count < 0 || count > left)
            throw new SerializationException($"Run snapshot announces {count} {what} but has only {left} bytes left");
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
