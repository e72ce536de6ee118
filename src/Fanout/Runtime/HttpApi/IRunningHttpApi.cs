namespace Fanout.Runtime;

/// <summary>An HTTP API that <see cref="IHttpApiPlugin"/> started; disposing it stops listening.</summary>
internal interface IRunningHttpApi : IAsyncDisposable
{
    /// <summary>Where it listens (ending in a slash).</summary>
    Uri BaseUrl { get; }

    /// <summary>Every route as "METHOD /pattern", for the specs that check that each one is guarded.</summary>
    IReadOnlyList<string> Routes { get; }
}
