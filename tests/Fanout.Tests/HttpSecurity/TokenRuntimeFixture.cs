using Fanout.Tests.EndToEnd;
using Fanout.Tests.Support;

namespace Fanout.Tests.HttpSecurity;

/// <summary>A runtime bound beyond loopback (0.0.0.0) with an operator and a viewer token, a finished run and a failed one.</summary>
public sealed class TokenRuntimeFixture : IAsyncLifetime
{
    public SecuredRuntime Node { get; private set; } = null!;

    public string SucceededRunId { get; private set; } = "";

    public string FailedRunId { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Node = await SecuredRuntime.WithTokensAsync();
        var square = await Node.Runtime.RunAsync(PatternTasks.Square, 4);
        await square.WaitAsync(Deadlines.EmbeddedRun, "the square run to end");
        SucceededRunId = square.Id;
        var failed = await Node.Runtime.RunAsync(FailureTasks.AlwaysFails, "boom");
        await Assert.ThrowsAsync<ActionFailedException>(() => failed.WaitAsync(Deadlines.EmbeddedRun, "the failing run to end"));
        FailedRunId = failed.Id;
    }

    public async Task DisposeAsync()
    {
        if (Node is not null) await Node.DisposeAsync();
    }
}
