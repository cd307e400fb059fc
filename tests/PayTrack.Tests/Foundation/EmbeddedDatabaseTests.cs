using System.Globalization;
using PayTrack.Tests.Infrastructure;

namespace PayTrack.Tests.Foundation;

/// <summary>The real host, started as an operator would with no connection string: it must run its own PostgreSQL.</summary>
public sealed class EmbeddedDatabaseTests : IDisposable
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "paytrack-embedded-" + Guid.NewGuid().ToString("N")[..8]);

    private Dictionary<string, string?> Environment => new(StringComparer.Ordinal)
    {
        ["PayTrack__LocalPostgres__DataDirectory"] = _dataDir,
        ["PayTrack__Admin__Email"] = "admin@example.edu",
        ["PayTrack__Admin__Password"] = "Adm1n-secret-value!",
        // The embedded default makes its own key ring secret: a key file in the data folder.
        ["PayTrack__DataProtection__Key"] = null,
    };

    [Fact]
    public async Task FirstStartCreatesTheClusterMigratesAndStopsItOnShutdownThenAStaleLockIsHandled()
    {
        int postmasterPid;
        await using (var first = PayTrackProcess.StartServer(Environment))
        {
            await first.WaitUntilReadyAsync(TimeSpan.FromSeconds(120));
            postmasterPid = ReadPostmasterPid();
            Assert.True(PayTrackProcess.IsAlive(postmasterPid));

            await first.StopAsync(TimeSpan.FromSeconds(60));
            Assert.Equal(0, first.ExitCode);

            var dbPassword = (await File.ReadAllTextAsync(Path.Combine(_dataDir, "password"))).Trim();
            Assert.DoesNotContain(dbPassword, first.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("Adm1n-secret-value!", first.Output, StringComparison.Ordinal);

            var keyFile = Path.Combine(_dataDir, "keyring.key");
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
            }

            Assert.DoesNotContain((await File.ReadAllTextAsync(keyFile)).Trim(), first.Output, StringComparison.Ordinal);
        }

        await WaitUntilAsync(() => !PayTrackProcess.IsAlive(postmasterPid), TimeSpan.FromSeconds(30));
        Assert.False(File.Exists(Path.Combine(_dataDir, "pgdata", "postmaster.pid")));

        // A crash leaves postmaster.pid behind, naming a process that is gone.
        await File.WriteAllTextAsync(Path.Combine(_dataDir, "pgdata", "postmaster.pid"), "999999\n/nowhere\n1700000000\n5432\n\n127.0.0.1\n  1  1\nready\n");
        await using (var second = PayTrackProcess.StartServer(Environment))
        {
            await second.WaitUntilReadyAsync(TimeSpan.FromSeconds(120));
            Assert.Contains("stale", second.Output, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("Creating PayTrack's private PostgreSQL cluster", second.Output, StringComparison.Ordinal);
            postmasterPid = ReadPostmasterPid();
        }

        await WaitUntilAsync(() => !PayTrackProcess.IsAlive(postmasterPid), TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task ACrashedHostsServerIsAdoptedAndStoppedByTheNextOne()
    {
        await using (var crashed = PayTrackProcess.StartServer(Environment))
        {
            await crashed.WaitUntilReadyAsync(TimeSpan.FromSeconds(120));
            crashed.KillHard();
        }

        var orphan = ReadPostmasterPid();
        Assert.True(PayTrackProcess.IsAlive(orphan));
        await using (var next = PayTrackProcess.StartServer(Environment))
        {
            await next.WaitUntilReadyAsync(TimeSpan.FromSeconds(120));
            Assert.Equal(orphan, ReadPostmasterPid());
        }

        await WaitUntilAsync(() => !PayTrackProcess.IsAlive(orphan), TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task WithoutPostgreSqlItExitsWithOneClearSentence()
    {
        var environment = Environment;
        environment["PayTrack__LocalPostgres__BinDirectory"] = Path.Combine(_dataDir, "no-postgres-here");
        var (exitCode, output) = await PayTrackProcess.RunAsync([], environment);
        Assert.Equal(2, exitCode);
        Assert.Contains("install the PostgreSQL server", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
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

    private int ReadPostmasterPid() =>
        int.Parse(File.ReadLines(Path.Combine(_dataDir, "pgdata", "postmaster.pid")).First(), CultureInfo.InvariantCulture);

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met in time");
            await Task.Delay(100);
        }
    }
}
