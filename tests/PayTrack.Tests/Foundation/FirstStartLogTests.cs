using System.Text.RegularExpressions;
using PayTrack.Tests.Infrastructure;

namespace PayTrack.Tests.Foundation;

/// <summary>What a new install's console says: nothing alarming, nothing false.</summary>
public sealed partial class FirstStartLogTests : IDisposable
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "paytrack-firststart-" + Guid.NewGuid().ToString("N")[..8]);

    [Fact]
    public Task ANewInstallLogsNoErrorNorAnUpToDateSchemaAndItsIngestLineHasItsNumbers() =>
        FirstStartSaysNothingAlarmingAsync(new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            // No connection string: PayTrack's own new cluster and a database that has never been migrated.
            ["PayTrack__LocalPostgres__DataDirectory"] = _dataDir,
            ["PayTrack__DataProtection__Key"] = null,
        });

    [Fact]
    public async Task AnEmptyDatabaseOfTheOperatorsOwnLogsNoErrorNorAnUpToDateSchema()
    {
        var name = "firststart_" + Guid.NewGuid().ToString("N")[..8];
        await using (var connection = new Npgsql.NpgsqlConnection(await TestCluster.AdminConnectionStringAsync()))
        {
            await connection.OpenAsync();
            await using var create = new Npgsql.NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }

        // The test cluster is shared by every test class running at once: this server takes few of its connections.
        await FirstStartSaysNothingAlarmingAsync(new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["ConnectionStrings__PayTrack"] = new Npgsql.NpgsqlConnectionStringBuilder(await TestCluster.AdminConnectionStringAsync(name)) { MaxPoolSize = 6 }.ConnectionString,
            ["PayTrack__Jobs__RunJobs"] = "false",
        });
    }

    private static async Task FirstStartSaysNothingAlarmingAsync(Dictionary<string, string?> environment)
    {
        string output;
        await using (var server = PayTrackProcess.StartServer(environment))
        {
            await server.WaitUntilReadyAsync(TimeSpan.FromMinutes(3));
            // The demo account is loaded in the background at first start: its ingest is the first one logged.
            var deadline = DateTime.UtcNow.AddMinutes(2);
            while (!server.Output.Contains("Ingest batch", StringComparison.Ordinal))
            {
                Assert.True(DateTime.UtcNow < deadline, "no ingest line in time:\n" + server.Output);
                await Task.Delay(100);
            }

            await server.StopAsync(TimeSpan.FromSeconds(60));
            output = server.Output;
        }

        var lines = output.Split('\n');
        var alarming = lines.Where(l => l.Contains("ERROR", StringComparison.Ordinal) || l.Contains(" ERR]", StringComparison.Ordinal) || l.Contains("FATAL", StringComparison.Ordinal)).ToList();
        Assert.True(alarming.Count == 0, "alarming lines:\n" + string.Join('\n', alarming));
        Assert.DoesNotContain("schema is up to date", output, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Database schema created or updated", output, StringComparison.Ordinal);
        var ingest = lines.First(l => l.Contains("Ingest batch", StringComparison.Ordinal));
        Assert.Matches(IngestLine(), ingest);
        Assert.DoesNotContain("{", ingest, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    [GeneratedRegex(@"Ingest batch \d+ for user [0-9a-f-]{36}: \d+ new, \d+ changed, \d+ unchanged punches")]
    private static partial Regex IngestLine();
}
