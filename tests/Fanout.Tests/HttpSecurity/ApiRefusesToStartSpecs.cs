using Fanout.Tests.Support;

namespace Fanout.Tests.HttpSecurity;

/// <summary>A runtime whose API would be open beyond loopback, or whose security settings are wrong, does not start.</summary>
public sealed class ApiRefusesToStartSpecs
{
    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("::")]
    public async Task A_runtime_beyond_loopback_without_a_token_refuses_to_start_naming_both_ways_out(string host)
    {
        using var folder = new TempDirectory();
        var options = RuntimeFixture.TestOptions(folder.File("fanout.db"));
        options.HttpHost = host;

        var refused = await Assert.ThrowsAsync<ArgumentException>(() => FanoutRuntime.StartEmbeddedAsync(options));

        Assert.Equal("ApiToken", refused.ParamName);
        Assert.Contains($"the HTTP API listens beyond loopback (HttpHost '{host}')", refused.Message);
        Assert.Contains("set ApiToken", refused.Message);
        Assert.Contains("AllowAnonymousApi = true", refused.Message);
        Assert.False(File.Exists(folder.File("fanout.db")), "the refused runtime must not have opened its journal");
    }

    [Fact]
    public void Loopback_without_a_token_and_beyond_it_with_a_token_or_on_purpose_are_valid()
    {
        new FanoutRuntimeOptions { HttpHost = "127.0.0.2" }.Validate();
        new FanoutRuntimeOptions { HttpHost = "::1" }.Validate();
        new FanoutRuntimeOptions { HttpHost = "0.0.0.0", ApiToken = SecuredRuntime.OperatorToken }.Validate();
        new FanoutRuntimeOptions { HttpHost = "0.0.0.0", AllowAnonymousApi = true }.Validate();
        new FanoutRuntimeOptions { HttpHost = "0.0.0.0", HttpPort = null }.Validate(); // no API, nothing to protect
    }

    [Theory]
    [InlineData("short", null, "ApiToken", "ApiToken must be at least 16 characters (it is 5)")]
    [InlineData("has a space in the token", null, "ApiToken", "ApiToken must be printable ASCII without spaces")]
    [InlineData("same-token-0123456789", "same-token-0123456789", "ApiViewerToken", "ApiViewerToken must differ from ApiToken")]
    [InlineData(null, "short-viewer", "ApiViewerToken", "ApiViewerToken must be at least 16 characters")]
    public void Bad_tokens_are_refused_naming_the_setting(string? token, string? viewer, string setting, string message)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => new FanoutRuntimeOptions { ApiToken = token, ApiViewerToken = viewer }.Validate());
        Assert.Equal(setting, error.ParamName);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void A_negative_start_rate_limit_is_refused()
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => new FanoutRuntimeOptions { StartRateLimitPerSecond = -1 }.Validate());
        Assert.Equal("StartRateLimitPerSecond", error.ParamName);
    }
}
