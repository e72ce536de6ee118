namespace Fanout.TestKit;

/// <summary>One call a <see cref="TaskStub{TIn,TOut}"/> received: one attempt of one action.</summary>
/// <typeparam name="TIn">The task's input type.</typeparam>
/// <param name="Input">The input it was called with.</param>
/// <param name="ActionId">The action the attempt belongs to.</param>
/// <param name="Attempt">The attempt's number, from 1.</param>
public sealed record StubCall<TIn>(TIn Input, string ActionId, int Attempt);
