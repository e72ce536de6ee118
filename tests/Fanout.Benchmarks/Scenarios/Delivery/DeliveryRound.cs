using Fanout.Benchmarks.Measurement;

namespace Fanout.Benchmarks.Scenarios.Delivery;

/// <summary>
/// One round of a delivery scenario: N messages split over the producers (producer p sends the calls
/// p, p + M, p + 2M, ...), the latency of each call, and the signals the harness waits on: every
/// connection ready before the clock starts, every producer answered in full to stop it.
/// </summary>
internal sealed class DeliveryRound
{
    private readonly int _expectedReady;
    private readonly TaskCompletionSource _allReady = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _allAnswered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _ready;
    private int _finishedProducers;
    private long _answered;

    /// <param name="n">Messages in the round, each answered once.</param>
    /// <param name="producers">The runs sending them.</param>
    /// <param name="expectedReady">How many <see cref="Ready"/> signals mean every connection is up.</param>
    public DeliveryRound(int n, int producers, int expectedReady)
    {
        if (n < producers) throw new ArgumentOutOfRangeException(nameof(n), n, $"fewer messages than the {producers} producers");
        N = n;
        Producers = producers;
        _expectedReady = expectedReady;
        Latency = new LatencyRecorder(n);
        if (expectedReady == 0) _allReady.SetResult();
    }

    public int N { get; }

    public int Producers { get; }

    public LatencyRecorder Latency { get; }

    /// <summary>Answers received so far, over all producers.</summary>
    public long Answered => Interlocked.Read(ref _answered);

    public int FinishedProducers => Volatile.Read(ref _finishedProducers);

    public Task AllReady => _allReady.Task;

    public Task AllAnswered => _allAnswered.Task;

    /// <summary>How many messages producer <paramref name="producer"/> sends.</summary>
    public int QuotaOf(int producer) => (N - producer + Producers - 1) / Producers;

    /// <summary>The call number (the latency recorder's index) of a producer's <paramref name="seq"/>-th message.</summary>
    public int CallOf(int producer, long seq) => producer + (int)seq * Producers;

    public void Ready()
    {
        if (Interlocked.Increment(ref _ready) == _expectedReady) _allReady.TrySetResult();
    }

    /// <summary>A producer got the answer to one of its messages for the first time.</summary>
    public void Answer(int producer, long seq)
    {
        Latency.Ended(CallOf(producer, seq));
        Interlocked.Increment(ref _answered);
    }

    /// <summary>A producer has every answer it waited for.</summary>
    public void ProducerFinished()
    {
        if (Interlocked.Increment(ref _finishedProducers) == Producers) _allAnswered.TrySetResult();
    }
}
