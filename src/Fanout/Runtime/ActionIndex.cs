namespace Fanout.Runtime;

/// <summary>
/// A run's actions indexed for paging, kept as entries apply: counts by status (the run's, each group's, each
/// group and task's), the start positions of each group and task's actions (an action's group and task never
/// change), and which positions are in each status (<see cref="StatusPositions"/>). A page filtered by status,
/// group or task then reads by position instead of walking the run: a million-action run answers in well under
/// a millisecond where a walk took up to 130 ms of the run actor's time (RunStateAtScaleSpecs prints both).
/// About 5 bytes an action: a position in one list and a bit per status.
/// </summary>
internal sealed class ActionIndex
{
    public static readonly int StatusCount = Enum.GetValues<ActionStatus>().Length;

    /// <summary>Past this many lists to merge (a group per item, say), a filtered page walks the run instead.</summary>
    private const int MaxListsToMerge = 64;

    private readonly int[] _counts = new int[StatusCount];
    private readonly StatusPositions[] _byStatus = Enumerable.Range(0, StatusCount).Select(_ => new StatusPositions()).ToArray();
    private readonly Dictionary<string, GroupEntry> _groups = new(StringComparer.Ordinal);
    private readonly List<GroupEntry> _groupOrder = [];
    private readonly GroupFolders _folders = new();

    public int CountOf(ActionStatus status) => _counts[(int)status];

    /// <summary>Each group in the order its first action started, with its counts by status.</summary>
    public IEnumerable<(string Group, int[] Counts)> Groups => _groupOrder.Select(g => (g.Group, g.Counts));

    public int[] Counts => _counts;

    /// <summary>How many groups the run's actions were started in ("no group" counting as one).</summary>
    public int GroupCount => _groupOrder.Count;

    /// <summary>The groups as the run page's folders, each counting its nested groups' actions too.</summary>
    public GroupFolders Folders => _folders;

    /// <summary>The action at <paramref name="position"/> (the next in start order) is new, in its current status.</summary>
    public void Add(ActionRecord action, int position)
    {
        var bucket = BucketOf(action);
        bucket.Positions.Add(position);
        Count(bucket, action.Status, position, +1);
    }

    public void ChangeStatus(ActionRecord action, int position, ActionStatus from, ActionStatus to)
    {
        var bucket = BucketOf(action);
        Count(bucket, from, position, -1);
        Count(bucket, to, position, +1);
    }

    private void Count(Bucket bucket, ActionStatus status, int position, int delta)
    {
        var s = (int)status;
        _counts[s] += delta;
        bucket.Group.Counts[s] += delta;
        GroupFolders.Count(bucket.Group.Folder, s, delta);
        if (bucket.Counts != bucket.Group.Counts) bucket.Counts[s] += delta;
        if (delta > 0) _byStatus[s].Add(position);
        else _byStatus[s].Remove(position);
    }

    private Bucket BucketOf(ActionRecord action)
    {
        if (!_groups.TryGetValue(action.Group, out var group))
        {
            _groups[action.Group] = group = new GroupEntry(action.Group, _folders.For(action.Group));
            _groupOrder.Add(group);
        }
        return group.BucketFor(action.TaskName);
    }

    /// <summary>One page of <paramref name="actions"/> (the run in start order) matching the query, and how many match.</summary>
    public ActionPage Query(ActionQuery query, IReadOnlyList<ActionRecord> actions)
    {
        var group = string.IsNullOrEmpty(query.Group) ? null : query.Group;
        var task = string.IsNullOrEmpty(query.TaskName) ? null : query.TaskName;
        var status = query.Status is { } st ? (int)st : -1;

        if (group is null && task is null)
        {
            var all = status < 0 ? actions.Count : _counts[status];
            var page = new List<ActionInfo>(Math.Clamp(all - query.Offset, 0, query.Limit));
            if (status < 0)
                for (var i = query.Offset; i < actions.Count && page.Count < query.Limit; i++) page.Add(actions[i].ToInfo());
            else
                for (var p = _byStatus[status].Select(query.Offset); p >= 0 && page.Count < query.Limit; p = _byStatus[status].Next(p + 1))
                    page.Add(actions[p].ToInfo());
            return new ActionPage(all, query.Offset, page);
        }

        var lists = new List<Bucket>();
        var total = 0;
        foreach (var g in _groupOrder)
        {
            if (group is not null && !InGroup(g.Group, group)) continue;
            foreach (var bucket in g.Buckets)
            {
                if (task is not null && !string.Equals(bucket.Task, task, StringComparison.Ordinal)) continue;
                var matching = status < 0 ? bucket.Positions.Count : bucket.Counts[status];
                if (matching == 0) continue;
                total += matching;
                lists.Add(bucket);
            }
        }

        var result = new List<ActionInfo>(Math.Clamp(total - query.Offset, 0, query.Limit));
        if (query.Offset >= total) return new ActionPage(total, query.Offset, result);
        // Few actions in the status (the failures of a mostly successful run): visiting them beats the lists.
        if (lists.Count > MaxListsToMerge || (status >= 0 && _counts[status] < lists.Sum(l => l.Positions.Count)))
        {
            Walk(query, actions, group, task, status, total, result);
            return new ActionPage(total, query.Offset, result);
        }

        var statusPositions = status < 0 ? null : _byStatus[status];
        // Without a status filter every listed position matches: the page's first is found by binary search.
        var cursors = status < 0 ? StartOfPage(lists, query.Offset) : new int[lists.Count];
        var skipped = status < 0 ? query.Offset : 0;
        while (result.Count < query.Limit)
        {
            var next = -1;
            var from = -1;
            for (var i = 0; i < lists.Count; i++)
            {
                var positions = lists[i].Positions;
                if (cursors[i] < positions.Count && (next < 0 || positions[cursors[i]] < next)) (next, from) = (positions[cursors[i]], i);
            }
            if (next < 0) break;
            cursors[from]++;
            if (statusPositions is not null && !statusPositions.Contains(next)) continue;
            if (skipped < query.Offset) skipped++;
            else result.Add(actions[next].ToInfo());
        }
        return new ActionPage(total, query.Offset, result);
    }

    /// <summary>Where each list's part of the page starts: the offset-th position of them all, by binary search on the position.</summary>
    private static int[] StartOfPage(List<Bucket> lists, int offset)
    {
        // The smallest position p with more than offset listed positions at or before it is the page's first.
        int low = 0, high = lists.Max(l => l.Positions[^1]);
        while (low < high)
        {
            var mid = low + (high - low) / 2;
            var atOrBefore = 0;
            foreach (var list in lists) atOrBefore += UpperBound(list.Positions, mid);
            if (atOrBefore > offset) high = mid;
            else low = mid + 1;
        }
        var cursors = new int[lists.Count];
        for (var i = 0; i < lists.Count; i++) cursors[i] = LowerBound(lists[i].Positions, low);
        return cursors;
    }

    private static int LowerBound(List<int> sorted, int value)
    {
        var index = sorted.BinarySearch(value);
        return index >= 0 ? index : ~index;
    }

    private static int UpperBound(List<int> sorted, int value)
    {
        var index = sorted.BinarySearch(value);
        return index >= 0 ? index + 1 : ~index;
    }

    /// <summary>The page found by visiting the run in start order (only the actions in the status, with a status filter).</summary>
    private void Walk(ActionQuery query, IReadOnlyList<ActionRecord> actions, string? group, string? task, int status,
        int total, List<ActionInfo> page)
    {
        var skipped = 0;
        var inStatus = status < 0 ? null : _byStatus[status];
        for (var i = inStatus?.Next(0) ?? 0; i >= 0 && i < actions.Count && page.Count < query.Limit && skipped + page.Count < total;
             i = inStatus?.Next(i + 1) ?? i + 1)
        {
            var action = actions[i];
            if (group is not null && !InGroup(action.Group, group)) continue;
            if (task is not null && !string.Equals(action.TaskName, task, StringComparison.Ordinal)) continue;
            if (skipped < query.Offset) skipped++;
            else page.Add(action.ToInfo());
        }
    }

    /// <summary>Whether <paramref name="actionGroup"/> is <paramref name="group"/> or nested in it.</summary>
    private static bool InGroup(string actionGroup, string group) =>
        actionGroup.StartsWith(group, StringComparison.Ordinal)
        && (actionGroup.Length == group.Length || actionGroup[group.Length] == '/');

    /// <summary>A group's counts and its actions split by task (almost always one).</summary>
    private sealed class GroupEntry(string group, GroupFolders.Folder? folder)
    {
        public string Group { get; } = group;
        public GroupFolders.Folder? Folder { get; } = folder;
        public int[] Counts { get; } = new int[StatusCount];
        public List<Bucket> Buckets { get; } = new(1);

        public Bucket BucketFor(string task)
        {
            foreach (var bucket in Buckets)
                if (ReferenceEquals(bucket.Task, task) || string.Equals(bucket.Task, task, StringComparison.Ordinal)) return bucket;
            // The first task's bucket shares the group's counts until a second task comes; then it gets its own.
            if (Buckets.Count == 1) Buckets[0].Counts = (int[])Counts.Clone();
            var added = new Bucket(this, task, Buckets.Count == 0 ? Counts : new int[StatusCount]);
            Buckets.Add(added);
            return added;
        }
    }

    /// <summary>The actions of one group and task: counts by status and start positions, ascending.</summary>
    private sealed class Bucket(GroupEntry group, string task, int[] counts)
    {
        public GroupEntry Group { get; } = group;
        public string Task { get; } = task;
        public int[] Counts { get; set; } = counts;
        public List<int> Positions { get; } = [];
    }
}
