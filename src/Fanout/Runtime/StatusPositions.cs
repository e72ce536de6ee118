using System.Numerics;

namespace Fanout.Runtime;

/// <summary>
/// Which of a run's actions (by start position) are in one status: a bit per action, and a count per block of
/// 4,096 bits, so the n-th action in that status is found by summing block counts and then counting bits in
/// one block, never by visiting the actions. An eighth of a byte per action and status; a status change flips
/// two bits. This is what makes "failed, page 3" of a million-action run instant when the failures are at its end.
/// </summary>
internal sealed class StatusPositions
{
    private const int WordsPerBlock = 64;
    private const int BitsPerBlock = WordsPerBlock * 64;

    private ulong[] _words = new ulong[WordsPerBlock];
    private int[] _blockCounts = new int[1];

    public int Count { get; private set; }

    public bool Contains(int position) => position >> 6 < _words.Length && (_words[position >> 6] & (1UL << position)) != 0;

    public void Add(int position)
    {
        Grow(position);
        _words[position >> 6] |= 1UL << position;
        _blockCounts[position / BitsPerBlock]++;
        Count++;
    }

    public void Remove(int position)
    {
        _words[position >> 6] &= ~(1UL << position);
        _blockCounts[position / BitsPerBlock]--;
        Count--;
    }

    /// <summary>The position of the <paramref name="index"/>-th member (from 0) in start order, or -1 when there are not that many.</summary>
    public int Select(int index)
    {
        if (index < 0 || index >= Count) return -1;
        var block = 0;
        while (index >= _blockCounts[block]) index -= _blockCounts[block++];
        for (var word = block * WordsPerBlock; ; word++)
        {
            var bits = BitOperations.PopCount(_words[word]);
            if (index < bits) return word * 64 + NthSetBit(_words[word], index);
            index -= bits;
        }
    }

    /// <summary>The first member at or after <paramref name="position"/>, or -1.</summary>
    public int Next(int position)
    {
        var word = position >> 6;
        if (word >= _words.Length) return -1;
        var bits = _words[word] & (ulong.MaxValue << position);
        while (bits == 0)
        {
            if (++word >= _words.Length) return -1;
            // Skip whole empty blocks by their counts.
            if (word % WordsPerBlock == 0)
                while (word < _words.Length && _blockCounts[word / WordsPerBlock] == 0) word += WordsPerBlock;
            if (word >= _words.Length) return -1;
            bits = _words[word];
        }
        return word * 64 + BitOperations.TrailingZeroCount(bits);
    }

    private static int NthSetBit(ulong word, int n)
    {
        for (var i = 0; i < n; i++) word &= word - 1; // drop the lowest set bit n times
        return BitOperations.TrailingZeroCount(word);
    }

    private void Grow(int position)
    {
        var words = (position >> 6) + 1;
        if (words <= _words.Length) return;
        var blocks = Math.Max(_blockCounts.Length * 2, (words + WordsPerBlock - 1) / WordsPerBlock);
        Array.Resize(ref _words, blocks * WordsPerBlock);
        Array.Resize(ref _blockCounts, blocks);
    }
}
