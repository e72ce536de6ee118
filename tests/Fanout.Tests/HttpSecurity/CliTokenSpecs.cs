using Fanout.Tests.Cli;
using Fanout.Tests.EndToEnd;

namespace Fanout.Tests.HttpSecurity;

/// <summary>The <c>fanout</c> CLI against a node with tokens: <c>--token</c> or <c>FANOUT_TOKEN</c>, and a clear refusal (exit 3) otherwise.</summary>
public sealed class CliTokenSpecs(TokenRuntimeFixture fixture) : IClassFixture<TokenRuntimeFixture>
{
    private readonly string _url = fixture.Node.Url.ToString();

    private static readonly Dictionary<string, string> NoEnvironment = new();

    [Fact]
    public async Task The_token_from_the_option_or_the_environment_gets_through()
    {
        var square = PatternTasks.Square.Name;

        var fromOption = await CliInvocation.RunAsync(["--node", _url, "--token", SecuredRuntime.OperatorToken, "tasks"], NoEnvironment);
        Assert.True(fromOption.ExitCode == 0, fromOption.ToString());
        Assert.Contains(square, fromOption.Out);

        var fromEnvironment = await CliInvocation.RunAsync(["--node", _url, "runs", "list"],
            new Dictionary<string, string> { ["FANOUT_TOKEN"] = SecuredRuntime.ViewerToken });
        Assert.True(fromEnvironment.ExitCode == 0, fromEnvironment.ToString());
        Assert.Contains(fixture.SucceededRunId, fromEnvironment.Out);

        // The option wins over the environment.
        var both = await CliInvocation.RunAsync(["--node", _url, "--token", SecuredRuntime.OperatorToken, "runs", "purge", "--older-than", "7d"],
            new Dictionary<string, string> { ["FANOUT_TOKEN"] = SecuredRuntime.ViewerToken });
        Assert.True(both.ExitCode == 0, both.ToString());
    }

    [Fact]
    public async Task A_missing_or_wrong_token_is_exit_3_saying_how_to_give_one()
    {
        var missing = await CliInvocation.RunAsync(["--node", _url, "tasks"], NoEnvironment);
        Assert.Equal(3, missing.ExitCode);
        Assert.Equal($"fanout: the node at {_url} needs a token: pass --token or set FANOUT_TOKEN (HTTP 401 for /tasks)", Assert.Single(missing.ErrLines));

        var wrong = await CliInvocation.RunAsync(["--node", _url, "--token", "not-the-token-0123456789", "tasks"], NoEnvironment);
        Assert.Equal(3, wrong.ExitCode);
        Assert.Contains("did not accept the token (--token or FANOUT_TOKEN)", wrong.Err);
        Assert.DoesNotContain("not-the-token-0123456789", wrong.Err);
    }

    [Fact]
    public async Task The_viewer_token_on_a_write_is_exit_3_asking_for_the_operator_token()
    {
        var purge = await CliInvocation.RunAsync(["--node", _url, "--token", SecuredRuntime.ViewerToken, "runs", "purge", "--older-than", "7d"], NoEnvironment);

        Assert.Equal(3, purge.ExitCode);
        Assert.Contains("the token may only read (a viewer token); this needs the node's operator token (HTTP 403 for /runs/purge)", purge.Err);
    }

    [Fact]
    public async Task Help_shows_the_token_and_ca_options_on_every_verb()
    {
        var help = await CliInvocation.RunAsync(["runs", "list", "--help"], NoEnvironment);
        Assert.Contains("--token <token>", help.Out);
        Assert.Contains("--ca-cert <file>", help.Out);
    }
}
