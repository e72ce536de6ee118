using Fanout.Hosting;
using Fanout.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Fanout.Tests.Hosting;

/// <summary>
/// The "Fanout" configuration section: every key an options property, read as the host starts. A bad value or a key that
/// names no setting fails the host's start with an error that names the key, never a binder's generic message.
/// </summary>
public sealed class HostingConfigurationSpecs
{
    [Fact]
    public void Every_kind_of_setting_is_read_from_its_key()
    {
        var section = Section(new()
        {
            ["Fanout:Seeds:0"] = "akka.tcp://fanout@10.0.0.1:4053",
            ["Fanout:Seeds:1"] = "akka.tcp://fanout@10.0.0.2:4053",
            ["Fanout:Roles:0"] = "gpu",
            ["Fanout:Journal"] = "Postgres",
            ["Fanout:ConnectionString"] = "Host=db;Username=fanout;Database=fanout",
            ["Fanout:HttpPort"] = "8080",
            ["Fanout:HttpHost"] = "0.0.0.0",
            ["Fanout:HttpPublicUrl"] = "https://fanout.example.com/",
            ["Fanout:ApiToken"] = "0123456789abcdef-operator",
            ["Fanout:ActionSlots"] = "12",
            ["Fanout:MaxPayloadBytes"] = "2048",
            ["Fanout:MaxWaitingActions"] = "",
            ["Fanout:JoinTimeout"] = "00:00:20",
            ["Fanout:RunRetention"] = "7.00:00:00",
            ["Fanout:CreateSchema"] = "false",
            ["Fanout:AkkaLogLevel"] = "information",
            ["Fanout:TaskAssemblies:0"] = typeof(HostingTasks).Assembly.GetName().Name,
        });

        var options = FanoutConfiguration.ReadRuntimeOptions(section);

        Assert.Equal(["akka.tcp://fanout@10.0.0.1:4053", "akka.tcp://fanout@10.0.0.2:4053"], options.Seeds);
        Assert.Equal(["gpu"], options.Roles);
        Assert.Equal(FanoutJournal.PostgreSql, options.Journal);
        Assert.Equal("Host=db;Username=fanout;Database=fanout", options.ConnectionString);
        Assert.Equal(8080, options.HttpPort);
        Assert.Equal("0.0.0.0", options.HttpHost);
        Assert.Equal(new Uri("https://fanout.example.com/"), options.HttpPublicUrl);
        Assert.Equal("0123456789abcdef-operator", options.ApiToken);
        Assert.Equal(12, options.ActionSlots);
        Assert.Equal(2048, options.MaxPayloadBytes);
        Assert.Null(options.MaxWaitingActions);
        Assert.Equal(TimeSpan.FromSeconds(20), options.JoinTimeout);
        Assert.Equal(TimeSpan.FromDays(7), options.RunRetention);
        Assert.False(options.CreateSchema);
        Assert.Equal(LogLevel.Information, options.AkkaLogLevel);
        Assert.Equal([typeof(HostingTasks).Assembly], options.TaskAssemblies);
    }

    [Fact]
    public void A_clients_settings_are_read_the_same_way_including_nested_ones()
    {
        var options = FanoutConfiguration.ReadClientOptions(Section(new()
        {
            ["Fanout:Seeds:0"] = "akka.tcp://fanout@10.0.0.1:4053",
            ["Fanout:PublicHostname"] = "app.internal",
            ["Fanout:DashboardUrl"] = "http://fanout.internal:8080/",
        }));
        Assert.Equal(["akka.tcp://fanout@10.0.0.1:4053"], options.Seeds);
        Assert.Equal("app.internal", options.PublicHostname);
        Assert.Equal(new Uri("http://fanout.internal:8080/"), options.DashboardUrl);

        var tls = Assert.Throws<FanoutConfigurationException>(() => FanoutConfiguration.ReadClientOptions(Section(new()
        {
            ["Fanout:Seeds:0"] = "akka.ssl.tcp://fanout@10.0.0.1:4053",
            ["Fanout:RemoteTls:CertificatePath"] = "/nowhere/node.pfx",
        })));
        // Nested settings are named by their full key; the check names the CA file, which must come with the certificate.
        Assert.StartsWith("Fanout:RemoteTls:CaCertificatePath: ", tls.Message);
    }

    [Theory]
    [InlineData("Fanout:HttpPort", "70000", "Fanout:HttpPort: HttpPort must be between 0 and 65535")]
    [InlineData("Fanout:HttpPort", "eighty", "Fanout:HttpPort: 'eighty' is not a whole number")]
    [InlineData("Fanout:Journal", "Oracle", "Fanout:Journal: 'Oracle' is not one of Sqlite, PostgreSql")]
    [InlineData("Fanout:Journal", "1", "Fanout:Journal: '1' is not one of Sqlite, PostgreSql")]
    [InlineData("Fanout:JoinTimeout", "soon", "Fanout:JoinTimeout: 'soon' is not a duration")]
    [InlineData("Fanout:ActionSlots", "0", "Fanout:ActionSlots: ActionSlots must be 1 or more")]
    [InlineData("Fanout:ApiToken", "short", "Fanout:ApiToken: ApiToken must be at least 16 characters")]
    [InlineData("Fanout:Seeds:0", "fanout@host:4053", "Fanout:Seeds: ")]
    [InlineData("Fanout:Seeds", "akka.tcp://fanout@host:4053", "Fanout:Seeds: is a list")]
    [InlineData("Fanout:HttpPrt", "8080", "Fanout:HttpPrt: no such setting; the settings are ")]
    [InlineData("Fanout:LoggerFactory", "console", "Fanout:LoggerFactory: no such setting")]
    public async Task A_bad_value_or_an_unknown_key_fails_the_hosts_start_naming_the_key(string key, string value, string expected)
    {
        using var folder = new TempDirectory();
        var app = HostedApp.Build(new Dictionary<string, string?> { ["Fanout:DatabasePath"] = folder.File("fanout.db"), [key] = value },
            (config, services) => services.AddFanoutEmbedded(config.GetSection("Fanout")));
        await using (app)
        {
            var error = await Assert.ThrowsAsync<FanoutConfigurationException>(() => app.Host.StartAsync());
            Assert.StartsWith(expected, error.Message);
            Assert.Equal(expected.Split(": ")[0], error.Key);
            // Nothing was started: the journal file was never made.
            Assert.False(File.Exists(folder.File("fanout.db")), "a start that failed on its settings still created the journal");
        }
    }

    [Fact]
    public async Task A_worker_without_seeds_and_a_client_with_a_bad_port_fail_their_start_naming_the_key()
    {
        var worker = HostedApp.Build(new Dictionary<string, string?> { ["Fanout:HttpPort"] = "" },
            (config, services) => services.AddFanoutWorker(config.GetSection("Fanout")));
        await using (worker)
        {
            var error = await Assert.ThrowsAsync<FanoutConfigurationException>(() => worker.Host.StartAsync());
            Assert.StartsWith("Fanout:Seeds: a worker joins a cluster", error.Message);
        }

        var client = HostedApp.Build(new Dictionary<string, string?> { ["Fanout:Seeds:0"] = "akka.tcp://fanout@127.0.0.1:4053", ["Fanout:Port"] = "-1" },
            (config, services) => services.AddFanoutClient(config.GetSection("Fanout")));
        await using (client)
        {
            var error = await Assert.ThrowsAsync<FanoutConfigurationException>(() => client.Host.StartAsync());
            Assert.StartsWith("Fanout:Port: Port must be between 0 and 65535 (it is -1)", error.Message);
        }
    }

    private static IConfigurationSection Section(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build().GetSection("Fanout");
}
