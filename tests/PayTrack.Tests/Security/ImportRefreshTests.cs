using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using PayTrack.Tests.Dashboard;
using PayTrack.Tests.Infrastructure;
using PayTrack.Tests.Timecards;
using PayTrack.Web.Live;

namespace PayTrack.Tests.Security;

/// <summary>Issue 10, point 10: an import, from the settings page or from the command, tells that user's open pages to refresh.</summary>
public sealed class ImportRefreshTests(PayTrackAppFactory app) : IClassFixture<PayTrackAppFactory>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task AnImportFromThePageOrTheCommandTellsOnlyThatUsersOpenPages()
    {
        _ = app.Server;
        await app.Services.GetRequiredService<PostgresLiveNotifier>().Listening.WaitAsync(Deadline);
        var (userId, client) = await app.SignedInAsync("import-live@example.edu");
        var other = await app.CreateUserAsync("import-live-other@example.edu");
        var broker = app.Services.GetRequiredService<LiveBroker>();
        var mine = Channel.CreateUnbounded<LiveEvent>();
        var theirs = Channel.CreateUnbounded<LiveEvent>();
        using var minePage = broker.Subscribe(userId, isAdmin: false, e => mine.Writer.TryWrite(e));
        using var theirPage = broker.Subscribe(other, isAdmin: false, e => theirs.Writer.TryWrite(e));

        using (var content = new MultipartFormDataContent
        {
            { new StringContent(await client.AntiforgeryTokenAsync("/settings")), "__RequestVerificationToken" },
            { new ByteArrayContent(await File.ReadAllBytesAsync(DashboardTestKit.SeedBackupPath)), "file", "demo-backup.json" },
        })
        using (var uploaded = await client.PostAsync("/settings/backup/import", content))
        {
            Assert.StartsWith("/settings?import=", uploaded.RedirectPath(), StringComparison.Ordinal);
        }

        await ImportEventAsync(mine);

        // The command is another process on the same database: the event crosses over PostgreSQL.
        var (code, output) = await PayTrackProcess.RunAsync(
            ["import", "--user", "import-live@example.edu", DashboardTestKit.SeedBackupPath],
            new Dictionary<string, string?>(StringComparer.Ordinal) { ["ConnectionStrings__PayTrack"] = app.ConnectionString });
        Assert.True(code == 0, output);
        await ImportEventAsync(mine);

        Assert.False(theirs.Reader.TryRead(out var leaked), leaked?.Data);
    }

    private static async Task ImportEventAsync(Channel<LiveEvent> events)
    {
        using var timeout = new CancellationTokenSource(Deadline);
        while (true)
        {
            var next = await events.Reader.ReadAsync(timeout.Token);
            if (next.Kind == LiveEvent.DataChanged && next.Data.Contains("\"import\"", StringComparison.Ordinal))
            {
                return;
            }
        }
    }
}
