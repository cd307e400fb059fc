using System.Net;
using System.Net.Sockets;
using Npgsql;
using PayTrack.Tests.Infrastructure;

namespace PayTrack.Tests.Foundation;

/// <summary>
/// The real process, started on a database it cannot use: it waits for one that is not there yet, and then, or at once
/// for one that refuses for good, stops with one sentence naming the server and never the password: exit code 2, no
/// stack trace.
/// </summary>
public sealed class DatabaseAtStartTests
{
    private const string Password = "hunter2-not-to-be-shown";

    [Fact]
    public async Task AServerThatIsNotListeningIsWaitedForThenNamed()
    {
        var port = FreePort();
        var (exitCode, output) = await RunAsync($"Host=127.0.0.1;Port={port};Username=paytrack;Password={Password};Database=paytrack", "00:00:01");

        Assert.Equal(2, exitCode);
        var lines = output.Trim().Split('\n', StringSplitOptions.TrimEntries);
        Assert.Contains($"Waiting for PostgreSQL at 127.0.0.1:{port} (database paytrack, user paytrack): nothing listens there; trying again for up to 1 s", lines[0], StringComparison.Ordinal);
        Assert.Equal(
            $"PayTrack did not start: PostgreSQL at 127.0.0.1:{port} (database paytrack, user paytrack) did not take connections within 1 s (nothing listens there). Check ConnectionStrings__PayTrack and that the server is running.",
            lines[^1]);
        Assert.Equal(2, lines.Length);
        Assert.DoesNotContain(Password, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ADatabaseThatDoesNotExistStopsItAtOnce()
    {
        var settings = new NpgsqlConnectionStringBuilder(await TestCluster.CreateDatabaseAsync(nameof(DatabaseAtStartTests))) { Database = "no_such_paytrack" };
        // A long wait that must not be waited: the server answered, and no wait makes a database appear.
        var (exitCode, output) = await RunAsync(settings.ConnectionString, "00:10:00");

        Assert.Equal(2, exitCode);
        Assert.Equal(
            $"PayTrack did not start: PostgreSQL at {settings.Host}:{settings.Port} (database no_such_paytrack, user {settings.Username}) has no such database. Create it, or check ConnectionStrings__PayTrack.",
            output.Trim());
        Assert.DoesNotContain(settings.Password!, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AConnectionStringTheDriverCannotReadIsNotRepeated()
    {
        var (exitCode, output) = await RunAsync($"Host=127.0.0.1;Port=five;Password={Password}", "00:00:01");

        Assert.Equal(2, exitCode);
        Assert.Equal(
            "PayTrack did not start: ConnectionStrings__PayTrack is not a PostgreSQL connection string it can read (Host=...;Port=...;Database=...;Username=...;Password=...).",
            output.Trim());
    }

    private static Task<(int ExitCode, string Output)> RunAsync(string connectionString, string wait) =>
        PayTrackProcess.RunAsync([], new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["ConnectionStrings__PayTrack"] = connectionString,
            ["PayTrack__Database__WaitAtStart"] = wait,
        });

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
