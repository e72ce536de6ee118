using Akka.Actor;
using Fanout.Protocol;

namespace Fanout.Clustering;

/// <summary>
/// How loaded an executor is: bodies running (parents waiting for children not counted), attempts waiting
/// for a slot, its slots, how many may wait, and whether it turns new attempts away because its queue is full. It sends this
/// to every worker's <see cref="ExecutorDirectory"/> when it changed, a few times a second at most, so runs
/// place on the least loaded executor without asking anyone.
/// </summary>
internal sealed record ExecutorLoad(IActorRef Executor, int Running, int Waiting, int Slots, int MaxWaiting, bool Full) : IFanoutMessage;
