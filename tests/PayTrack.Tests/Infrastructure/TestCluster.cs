using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using PayTrack.Web.Data;
using PayTrack.Web.LocalPostgres;

namespace PayTrack.Tests.Infrastructure;

/// <summary>
/// One throwaway PostgreSQL server per test run: a Testcontainers container when a Docker engine answers and has
/// the image, else a cluster started with PayTrack's own LocalPostgres component, or the server named by
/// PAYTRACK_TEST_CONNECTION. PAYTRACK_TEST_DATABASE=docker|local forces the choice (auto by default); the choice
/// and its reason are printed. A template database is migrated once; each test class clones its own database from
/// it with CREATE DATABASE ... TEMPLATE, which takes milliseconds.
/// </summary>
public static class TestCluster
{
    /// <summary>
    /// The test server's max_connections. Test classes run four at a time, each with its own database, app host,
    /// Hangfire workers and processes. A run peaked at 72 sessions here with Npgsql's idle pools (44 with the idle
    /// lifetime below), and PostgreSQL's default of 100 was exceeded on a slower machine.
    /// </summary>
    internal const int MaxConnections = 300;

    private const string TemplateName = "paytrack_template";
    private static readonly Lazy<Task<Cluster>> Instance = new(StartAsync);
    private static int _counter;

    /// <summary>A new, fully migrated database of its own; returns its connection string.</summary>
    public static async Task<string> CreateDatabaseAsync(string hint)
    {
        var cluster = await Instance.Value;
        var name = $"t{Interlocked.Increment(ref _counter)}_{new string(hint.ToLowerInvariant().Where(char.IsLetterOrDigit).Take(40).ToArray())}";
        await using (var connection = new NpgsqlConnection(cluster.ConnectionString("postgres")))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\" TEMPLATE {TemplateName}", connection);
            await command.ExecuteNonQueryAsync();
        }

        // A finished class's idle connections close after seconds, not Npgsql's default five minutes.
        return new NpgsqlConnectionStringBuilder(cluster.ConnectionString(name)) { ConnectionIdleLifetime = 10, ConnectionPruningInterval = 2 }.ConnectionString;
    }

    /// <summary>The cluster's own connection for a database, for tests that look at the server itself.</summary>
    public static async Task<string> AdminConnectionStringAsync(string database = "postgres") => (await Instance.Value).ConnectionString(database);

    /// <summary>Which server this run uses and why, as printed at start.</summary>
    public static async Task<string> DescriptionAsync() => (await Instance.Value).Description;

    /// <summary>The id of the run's PostgreSQL container; null when the run uses no container.</summary>
    internal static async Task<string?> ContainerIdAsync() => ((await Instance.Value).Server as TestPostgresContainer)?.ContainerId;

    private static async Task<Cluster> StartAsync()
    {
        var cluster = await OpenServerAsync();
        TestRunLog.Write($"PostgreSQL for this test run: {cluster.Description}");
        AppDomain.CurrentDomain.ProcessExit += (_, _) => cluster.Dispose();

        await using (var connection = new NpgsqlConnection(cluster.ConnectionString("postgres")))
        {
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {TemplateName} WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {TemplateName}", connection);
            await create.ExecuteNonQueryAsync();
        }

        var options = new DbContextOptionsBuilder<PayTrackDbContext>().UseNpgsql(cluster.ConnectionString(TemplateName)).Options;
        await using (var db = new PayTrackDbContext(options))
        {
            await db.Database.MigrateAsync();
        }

        // No session may stay open on the template, or CREATE DATABASE ... TEMPLATE fails.
        NpgsqlConnection.ClearAllPools();
        return cluster;
    }

    private static async Task<Cluster> OpenServerAsync()
    {
        var external = Environment.GetEnvironmentVariable("PAYTRACK_TEST_CONNECTION");
        if (!string.IsNullOrWhiteSpace(external))
        {
            var host = new NpgsqlConnectionStringBuilder(external).Host;
            return new Cluster(db => new NpgsqlConnectionStringBuilder(external) { Database = db }.ConnectionString, $"the server in PAYTRACK_TEST_CONNECTION (host {host})", null);
        }

        var choice = TestDatabaseChoice.FromEnvironment();
        if (choice.Mode != TestDatabaseMode.Local)
        {
            var (container, whyNot) = await TestPostgresContainer.TryStartAsync(choice);
            if (container is not null)
            {
                return new Cluster(container.ConnectionString, container.Description, container);
            }

            if (choice.Mode == TestDatabaseMode.Docker)
            {
                throw new InvalidOperationException(
                    $"PAYTRACK_TEST_DATABASE=docker, but the PostgreSQL container could not start: {whyNot}");
            }

            return await StartLocalAsync($"{whyNot}; set PAYTRACK_TEST_DATABASE=docker to require Docker");
        }

        return await StartLocalAsync("PAYTRACK_TEST_DATABASE=local");
    }

    private static async Task<Cluster> StartLocalAsync(string why)
    {
        var dir = Path.Combine(Path.GetTempPath(), "paytrack-tests-" + Guid.NewGuid().ToString("N")[..8]);
        var server = await LocalPostgresServer.StartAsync(new LocalPostgresOptions { DataDirectory = dir, Database = "postgres", MaxConnections = MaxConnections }, NullLogger.Instance);
        return new Cluster(server.ConnectionString, $"a local cluster on 127.0.0.1:{server.Port} ({why})", new LocalServer(server, dir));
    }

    private sealed class Cluster(Func<string, string> connectionString, string description, IDisposable? server) : IDisposable
    {
        private int _disposed;

        public string Description => description;

        public IDisposable? Server => server;

        public string ConnectionString(string database) => connectionString(database);

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 1 || server is null)
            {
                return;
            }

            NpgsqlConnection.ClearAllPools();
            server.Dispose();
        }
    }

    private sealed class LocalServer(LocalPostgresServer server, string directory) : IDisposable
    {
        public void Dispose()
        {
            server.StopAsync().GetAwaiter().GetResult();
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }
}
