using Fanout.ClusterApp;
using Fanout.Tests.Cluster.Support;
using Fanout.Tests.Support;
using Npgsql;
using Xunit.Abstractions;

namespace Fanout.Tests.Deploy;

/// <summary>
/// The deployments' split of rights on the real PostgreSQL: deploy/'s init script makes the workers' role, `Fanout.Node
/// migrate` creates the tables as the database's owner, and nodes with FANOUT_CREATE_SCHEMA=false run as the role, which
/// may only read and write rows.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class SchemaMigrationSpecs(ITestOutputHelper output)
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(90);
    private static readonly string[] Tables = ["fanout_runs", "journal", "snapshot", "tags"];

    [Fact]
    public async Task Migrate_as_the_owner_then_nodes_as_a_role_with_only_row_rights_run_a_fan_out_to_success()
    {
        await using var db = await PostgresDatabase.CreateAsync();
        await using var roles = await Roles.CreateAsync(db);
        await roles.RunInitScriptAsync();

        // The workers' role may not run it: it exits 1 saying what the database refused.
        var (refusedExit, refusedOutput) = await MigrateAsync(roles.AppConnectionString);
        Assert.True(refusedExit == 1, $"migrate as the restricted role exited {refusedExit}:\n{refusedOutput}");
        Assert.Contains("fanout-node migrate: The runs index table could not be created", refusedOutput);
        Assert.Contains("permission denied", refusedOutput);
        Assert.Empty(await roles.TablesAsync());

        // Twice: the second run finds every table and changes nothing.
        for (var attempt = 1; attempt <= 2; attempt++)
        {
            var (exit, migrateOutput) = await MigrateAsync(roles.OwnerConnectionString);
            Assert.True(exit == 0, $"migrate #{attempt} exited {exit}:\n{migrateOutput}");
            Assert.Contains($"the journal's tables and the runs index are ready in PostgreSQL", migrateOutput);
        }
        Assert.Equal(Tables, await roles.TablesOwnedByAsync(roles.Owner));

        // What makes the rest mean something: the workers' role may not create a table.
        var refused = await Assert.ThrowsAsync<PostgresException>(() => roles.ExecuteAsAppAsync("CREATE TABLE probe (id INT)"));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
        // A node that creates its schema (the default) is refused at start: creating the runs index, even IF NOT EXISTS, is DDL.
        var (createExit, createOutput) = await RunNodeAloneAsync(roles.AppConnectionString, createSchema: true);
        Assert.True(createExit == 1, $"a node creating its schema as the restricted role exited {createExit}:\n{createOutput}");
        Assert.Contains("permission denied", createOutput);

        await using var cluster = await LoopbackCluster.StartAsync(roles.AppConnectionString, output);
        foreach (var name in new[] { "worker-1", "worker-2" })
            await cluster.StartWorkerAsync(name, new Dictionary<string, string> { ["FANOUT_CREATE_SCHEMA"] = "false" });
        await ClusterChecks.ExecutorsVisibleAsync(cluster, 2);
        await using var client = await ClusterChecks.ConnectAsync(cluster);

        var run = await client.RunAsync(ClusterTasks.FanOut, new Fan(20, 10));
        var result = await run.WaitAsync(Within, "the fan-out on the restricted role to end");

        Assert.Equal(Enumerable.Range(0, 20).Select(i => i * 2), result.Select(r => r.Value));
        Assert.Equal(21, (await run.GetSummaryAsync()).Counts[ActionStatus.Succeeded]);
        Assert.True(await roles.CountRowsAsync("journal") > 0, "the run journaled nothing");
        Assert.True(await roles.CountRowsAsync("fanout_runs") > 0, "the run has no runs index row");
        // The nodes made nothing of their own.
        Assert.Equal(Tables, await roles.TablesAsync());
    }

    [Fact]
    public async Task A_node_that_does_not_create_its_schema_exits_1_on_an_empty_database_naming_the_missing_tables_and_migrate()
    {
        await using var db = await PostgresDatabase.CreateAsync();

        var (exit, nodeOutput) = await RunNodeAloneAsync(db.ConnectionString, createSchema: false);

        Assert.True(exit == 1, $"the node exited {exit}:\n{nodeOutput}");
        Assert.Contains($"fanout-node: The journal database PostgreSQL", nodeOutput);
        Assert.Contains("has no table(s) journal, snapshot, tags, fanout_runs", nodeOutput);
        Assert.Contains("run `fanout-node migrate` first", nodeOutput);
        await using var connection = new NpgsqlConnection(db.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT COUNT(*) FROM pg_tables WHERE schemaname = 'public'", connection);
        Assert.Equal(0L, await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task A_malformed_create_schema_setting_exits_2_naming_it()
    {
        await using var db = await PostgresDatabase.CreateAsync();
        var (exit, nodeOutput) = await RunNodeAloneAsync(db.ConnectionString, createSchema: null, ("FANOUT_CREATE_SCHEMA", "maybe"));
        Assert.Equal(2, exit);
        Assert.Contains("fanout-node: FANOUT_CREATE_SCHEMA 'maybe' must be true or false", nodeOutput);
    }

    private static async Task<(int ExitCode, string Output)> MigrateAsync(string connectionString)
    {
        using var migrate = HostProcess.Start(RepoPaths.NodeProgram, new Dictionary<string, string>
        {
            ["FANOUT_JOURNAL"] = "postgres",
            ["FANOUT_CONNECTION_STRING"] = connectionString,
        }, "migrate");
        var exit = await migrate.WaitForExitAsync(Within);
        return (exit, migrate.Output);
    }

    /// <summary>A node with no seeds (a cluster of its own) on the database; its exit, once it has stopped by itself or been told to.</summary>
    private static async Task<(int ExitCode, string Output)> RunNodeAloneAsync(string connectionString, bool? createSchema,
        params (string Key, string Value)[] extra)
    {
        var env = new Dictionary<string, string>
        {
            ["CLUSTER_IP"] = "127.0.0.1", ["CLUSTER_PORT"] = "0", ["FANOUT_HTTP_PORT"] = "0",
            ["FANOUT_JOURNAL"] = "postgres", ["FANOUT_CONNECTION_STRING"] = connectionString,
        };
        if (createSchema is { } create) env["FANOUT_CREATE_SCHEMA"] = create ? "true" : "false";
        foreach (var (key, value) in extra) env[key] = value;
        using var node = HostProcess.Start(RepoPaths.NodeProgram, env);
        var exit = await node.WaitForExitAsync(Within);
        return (exit, node.Output);
    }

    /// <summary>
    /// The roles of one test database, as a deployment has them: the owner (no superuser; may create tables in the
    /// database it owns, and roles, as the postgres image's user may) and the workers' role, which deploy/'s init script
    /// makes. Dropped on dispose.
    /// </summary>
    private sealed class Roles : IAsyncDisposable
    {
        private readonly PostgresDatabase _db;
        private readonly string _server;

        private Roles(PostgresDatabase db, string server)
        {
            _db = db;
            _server = server;
            Owner = db.Name + "_owner";
            App = db.Name + "_app";
        }

        public string Owner { get; }
        public string App { get; }
        public string OwnerConnectionString => As(Owner);
        public string AppConnectionString => As(App);

        public static async Task<Roles> CreateAsync(PostgresDatabase db)
        {
            var server = Environment.GetEnvironmentVariable(PostgresDatabase.ServerVariable)!;
            var roles = new Roles(db, server);
            await roles.ExecuteAsync(server,
                $"CREATE ROLE {roles.Owner} LOGIN NOSUPERUSER NOCREATEDB CREATEROLE",
                $"ALTER DATABASE {db.Name} OWNER TO {roles.Owner}");
            // The postgres image's database has its public schema owned by its user; here the owner is not the server's.
            await roles.ExecuteAsync(db.ConnectionString, $"ALTER SCHEMA public OWNER TO {roles.Owner}");
            return roles;
        }

        /// <summary>
        /// deploy/k8s/postgres/init-restricted-role.sh as the postgres image runs it on its first start (as the owner,
        /// with POSTGRES_USER, POSTGRES_DB and FANOUT_DB_PASSWORD), on this server.
        /// </summary>
        public async Task RunInitScriptAsync()
        {
            var script = Path.Combine(RepoPaths.Root, "deploy", "k8s", "postgres", "init-restricted-role.sh");
            var server = new NpgsqlConnectionStringBuilder(_server);
            var info = new System.Diagnostics.ProcessStartInfo("bash", [script])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                Environment =
                {
                    ["PGHOST"] = server.Host, ["PGPORT"] = server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["POSTGRES_USER"] = Owner, ["POSTGRES_DB"] = _db.Name,
                    ["FANOUT_DB_USER"] = App, ["FANOUT_DB_PASSWORD"] = "not-used-with-trust-auth",
                },
            };
            System.Diagnostics.Process process;
            try
            {
                process = System.Diagnostics.Process.Start(info)!;
            }
            catch (System.ComponentModel.Win32Exception e)
            {
                throw new Xunit.Sdk.XunitException($"bash could not be started ({e.Message})");
            }
            using (process)
            {
                var stdout = process.StandardOutput.ReadToEndAsync();
                var stderr = process.StandardError.ReadToEndAsync();
                try
                {
                    await Deadlines.Within(TimeSpan.FromSeconds(60), "init-restricted-role.sh to exit", process.WaitForExitAsync);
                }
                catch (TimeoutException)
                {
                    process.Kill(entireProcessTree: true);
                    throw;
                }
                var output = await stdout + await stderr;
                Assert.True(process.ExitCode == 0,
                    $"init-restricted-role.sh exited {process.ExitCode} (it needs psql: apt-get install postgresql-client):\n{output}");
                Assert.Contains($"role {App} may read and write the rows", output);
            }
        }

        public Task ExecuteAsAppAsync(string sql) => ExecuteAsync(AppConnectionString, sql);

        public Task<IReadOnlyList<string>> TablesAsync() => TableNamesAsync("");

        public Task<IReadOnlyList<string>> TablesOwnedByAsync(string role) => TableNamesAsync($" AND tableowner = '{role}'");

        public async Task<long> CountRowsAsync(string table)
        {
            await using var connection = new NpgsqlConnection(_db.ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"SELECT COUNT(*) FROM {table}", connection);
            return (long)(await command.ExecuteScalarAsync())!;
        }

        private async Task<IReadOnlyList<string>> TableNamesAsync(string where)
        {
            await using var connection = new NpgsqlConnection(_db.ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"SELECT tablename FROM pg_tables WHERE schemaname = 'public'{where} ORDER BY tablename", connection);
            var names = new List<string>();
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync()) names.Add(reader.GetString(0));
            return names;
        }

        private string As(string role) =>
            new NpgsqlConnectionStringBuilder(_db.ConnectionString) { Username = role, Password = null }.ConnectionString;

        private async Task ExecuteAsync(string connectionString, params string[] statements)
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            foreach (var sql in statements)
            {
                await using var command = new NpgsqlCommand(sql, connection);
                await command.ExecuteNonQueryAsync();
            }
        }

        public async ValueTask DisposeAsync()
        {
            // The database goes first (its objects belong to the owner), then the roles.
            NpgsqlConnection.ClearAllPools();
            await _db.DisposeAsync();
            await ExecuteAsync(_server, $"DROP ROLE IF EXISTS {App}", $"DROP ROLE IF EXISTS {Owner}");
        }
    }
}
