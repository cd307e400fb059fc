using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using PayTrack.Web.Data;
using PayTrack.Web.LocalPostgres;

namespace PayTrack.Tests.Infrastructure;

/// <summary>
/// One throwaway PostgreSQL cluster per test run, started with PayTrack's own LocalPostgres component
/// (or the server named by PAYTRACK_TEST_CONNECTION). A template database is migrated once; each test
/// class clones its own database from it with CREATE DATABASE ... TEMPLATE, which takes milliseconds.
/// </summary>
public static class TestCluster
{
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

        return cluster.ConnectionString(name);
    }

    /// <summary>The cluster's own connection for a database, for tests that look at the server itself.</summary>
    public static async Task<string> AdminConnectionStringAsync(string database = "postgres") => (await Instance.Value).ConnectionString(database);

    private static async Task<Cluster> StartAsync()
    {
        Cluster cluster;
        var external = Environment.GetEnvironmentVariable("PAYTRACK_TEST_CONNECTION");
        if (!string.IsNullOrWhiteSpace(external))
        {
            cluster = new Cluster(db => new NpgsqlConnectionStringBuilder(external) { Database = db }.ConnectionString, null, null);
        }
        else
        {
            var dir = Path.Combine(Path.GetTempPath(), "paytrack-tests-" + Guid.NewGuid().ToString("N")[..8]);
            var server = await LocalPostgresServer.StartAsync(new LocalPostgresOptions { DataDirectory = dir, Database = "postgres" }, NullLogger.Instance);
            cluster = new Cluster(server.ConnectionString, server, dir);
            AppDomain.CurrentDomain.ProcessExit += (_, _) => cluster.Dispose();
        }

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

    private sealed class Cluster(Func<string, string> connectionString, LocalPostgresServer? server, string? directory) : IDisposable
    {
        public string ConnectionString(string database) => connectionString(database);

        public void Dispose()
        {
            if (server is null)
            {
                return;
            }

            NpgsqlConnection.ClearAllPools();
            server.StopAsync().GetAwaiter().GetResult();
            try
            {
                Directory.Delete(directory!, recursive: true);
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
