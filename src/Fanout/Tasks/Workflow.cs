using System.Runtime.CompilerServices;
using Akka.Streams.Dsl;
using Fanout.Runtime;

namespace Fanout;

/// <summary>
/// The fan-out helpers a task body uses: <see cref="Gather{T}(IEnumerable{Task{T}})"/> to await many calls,
/// <see cref="Map{TIn,TOut}(TaskDefinition{TIn,TOut},IEnumerable{TIn},int)"/> to stream items through a task
/// with bounded concurrency, and <see cref="Group"/> to label actions. Write <c>using static Fanout.Workflow;</c>
/// to call them as <c>Gather(...)</c>, <c>Map(...)</c> and <c>Group(...)</c>.
/// </summary>
public static class Workflow
{
    /// <summary>
    /// Labels every action started inside the returned scope with <paramref name="name"/>; nested
    /// groups form a path (<c>outer/inner</c>). The dashboard and the action listing fold actions by group.
    /// </summary>
    /// <param name="name">The group's name: letters, digits, <c>_</c> and <c>-</c>.</param>
    /// <returns>A scope to dispose (<c>using (Group("phase-1")) { ... }</c>).</returns>
    /// <exception cref="ArgumentException">The name is empty or has other characters.</exception>
    public static IDisposable Group(string name) => GroupScope.Enter(name);

    /// <summary>The group path in force here, or null outside any group.</summary>
    public static string? CurrentGroup => GroupScope.CurrentPath;

    /// <summary>
    /// Awaits every call and returns their results in input order. Unlike a bare <c>Task.WhenAll</c>
    /// it waits for every call to end before it throws, and the exception it throws holds every failure.
    /// </summary>
    /// <exception cref="GatherException">One or more calls failed; it lists each with its position.</exception>
    public static async Task<T[]> Gather<T>(IEnumerable<Task<T>> calls)
    {
        var outcomes = await Gather(calls, returnExceptions: true).ConfigureAwait(false);
        return Unwrap(outcomes);
    }

    /// <inheritdoc cref="Gather{T}(IEnumerable{Task{T}})"/>
    public static Task<T[]> Gather<T>(params Task<T>[] calls) => Gather((IEnumerable<Task<T>>)calls);

    /// <summary>
    /// Awaits every call and returns one outcome per call, in input order. With
    /// <paramref name="returnExceptions"/> true nothing is thrown: a failed call's outcome holds its
    /// exception (an <see cref="ActionFailedException"/> for a failed action). With false, the first
    /// failure is thrown as a <see cref="GatherException"/> once all calls have ended.
    /// </summary>
    public static async Task<Outcome<T>[]> Gather<T>(IEnumerable<Task<T>> calls, bool returnExceptions)
    {
        ArgumentNullException.ThrowIfNull(calls);
        var pending = calls as IReadOnlyList<Task<T>> ?? calls.ToList();
        var outcomes = new Outcome<T>[pending.Count];
        for (var i = 0; i < pending.Count; i++)
            outcomes[i] = await ToOutcomeAsync(pending[i]).ConfigureAwait(false);
        if (!returnExceptions) Unwrap(outcomes);
        return outcomes;
    }

    /// <summary>
    /// Calls <paramref name="task"/> on every item with at most <paramref name="concurrency"/> calls in
    /// flight, and returns the results in input order. Items are pulled from
    /// <paramref name="items"/> only as calls finish (Akka.Streams backpressure inside a run).
    /// </summary>
    /// <exception cref="GatherException">One or more calls failed; thrown once all have ended.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="concurrency"/> is less than 1.</exception>
    public static async Task<TOut[]> Map<TIn, TOut>(TaskDefinition<TIn, TOut> task, IEnumerable<TIn> items, int concurrency)
    {
        var outcomes = await Map(task, items, concurrency, returnExceptions: true).ConfigureAwait(false);
        return Unwrap(outcomes);
    }

    /// <summary>
    /// Like <see cref="Map{TIn,TOut}(TaskDefinition{TIn,TOut},IEnumerable{TIn},int)"/>, returning one
    /// outcome per item; with <paramref name="returnExceptions"/> true nothing is thrown.
    /// </summary>
    public static async Task<Outcome<TOut>[]> Map<TIn, TOut>(
        TaskDefinition<TIn, TOut> task, IEnumerable<TIn> items, int concurrency, bool returnExceptions)
    {
        var outcomes = new List<Outcome<TOut>>();
        await foreach (var outcome in MapOutcomes(task, items, concurrency).ConfigureAwait(false))
            outcomes.Add(outcome);
        var result = outcomes.ToArray();
        if (!returnExceptions) Unwrap(result);
        return result;
    }

    /// <summary>
    /// Streams <paramref name="items"/> through <paramref name="task"/> with at most
    /// <paramref name="concurrency"/> calls in flight, yielding results in input order as they are
    /// ready, so the caller never holds them all. The first failed call ends the stream with its exception.
    /// </summary>
    public static async IAsyncEnumerable<TOut> MapStream<TIn, TOut>(
        TaskDefinition<TIn, TOut> task, IEnumerable<TIn> items, int concurrency,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var outcome in MapOutcomes(task, items, concurrency, cancellationToken).ConfigureAwait(false))
            yield return outcome.IsSuccess ? outcome.Value : throw outcome.Exception!;
    }

    /// <summary>
    /// Streams one outcome per item, in input order, with at most <paramref name="concurrency"/> calls
    /// in flight; a failed call yields its exception as an outcome and the stream goes on.
    /// </summary>
    public static IAsyncEnumerable<Outcome<TOut>> MapStream<TIn, TOut>(
        TaskDefinition<TIn, TOut> task, IEnumerable<TIn> items, int concurrency, bool returnExceptions,
        CancellationToken cancellationToken = default) =>
        returnExceptions
            ? MapOutcomes(task, items, concurrency, cancellationToken)
            : ThrowOnFailure(MapOutcomes(task, items, concurrency, cancellationToken));

    private static async IAsyncEnumerable<Outcome<TOut>> ThrowOnFailure<TOut>(IAsyncEnumerable<Outcome<TOut>> outcomes)
    {
        await foreach (var outcome in outcomes.ConfigureAwait(false))
            yield return outcome.IsSuccess ? outcome : throw outcome.Exception!;
    }

    private static IAsyncEnumerable<Outcome<TOut>> MapOutcomes<TIn, TOut>(
        TaskDefinition<TIn, TOut> task, IEnumerable<TIn> items, int concurrency, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(items);
        ArgumentOutOfRangeException.ThrowIfLessThan(concurrency, 1);

        var context = ActionContext.Current;
        if (context is null)
            return BoundedMap.RunInline(items, concurrency, item => ToOutcomeAsync(task.InvokeAsync(item)), cancellationToken);

        // Inside a run: an Akka.Streams graph pulls items only as calls finish (SelectAsync keeps input
        // order and at most `concurrency` calls in flight), on the node's own materializer. The stage
        // runs on an actor thread where the body's async-locals do not flow, so the context and group
        // are captured here and passed explicitly.
        var group = GroupScope.CurrentPath;
        return Source.From(items)
            .SelectAsync(concurrency, item => ToOutcomeAsync(task.InvokeWithin(context, group, item)))
            .RunAsAsyncEnumerable(context.Materializer)
            .WithCancellation(cancellationToken)
            .AsEnumerable();
    }

    private static async Task<Outcome<T>> ToOutcomeAsync<T>(Task<T> call)
    {
        try
        {
            return Outcome<T>.Success(await call.ConfigureAwait(false));
        }
        catch (Exception e)
        {
            return Outcome<T>.Failure(e);
        }
    }

    private static T[] Unwrap<T>(Outcome<T>[] outcomes)
    {
        List<(int, Exception)>? failures = null;
        var values = new T[outcomes.Length];
        for (var i = 0; i < outcomes.Length; i++)
        {
            if (outcomes[i].IsSuccess) values[i] = outcomes[i].Value;
            else (failures ??= []).Add((i, outcomes[i].Exception!));
        }
        return failures is null ? values : throw new GatherException(outcomes.Length, failures);
    }
}
