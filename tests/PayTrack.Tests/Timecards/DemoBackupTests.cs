using PayTrack.Tests.Infrastructure;
using PayTrack.Web.Data;
using PayTrack.Web.Timecards;
using PayTrack.Web.Timecards.SeedData;
using static PayTrack.Tests.Timecards.TimecardTestKit;

namespace PayTrack.Tests.Timecards;

public sealed class DemoBackupTests(PayTrackAppFactory app) : IClassFixture<PayTrackAppFactory>
{
    public static string SeedFile => Path.Combine(PayTrackProcess.RepoRoot, "seed-data", "demo-backup.json");

    [Fact]
    public async Task TheCommittedSeedFileIsWhatTheGeneratorWrites()
    {
        using var generated = new MemoryStream();
        await DemoBackup.WriteAsync(generated, CancellationToken.None);

        var committed = await File.ReadAllBytesAsync(SeedFile);
        Assert.True(generated.ToArray().SequenceEqual(committed),
            "seed-data/demo-backup.json differs from DemoBackup's output; regenerate it as seed-data/README.md says.");
    }

    [Fact]
    public async Task TheSeedBackupImportsCleanlyAndHoldsEveryCaseOfTheContract()
    {
        var user = await app.CreateUserAsync("demo@example.edu");
        var listed = (await File.ReadAllTextAsync(SeedFile)).Split("\"in_datetime\"").Length - 1;

        await using var file = File.OpenRead(SeedFile);
        var result = await app.Service<BackupImport>().ImportAsync(user, file, CancellationToken.None);

        Assert.True(result.Succeeded, result.Summary);
        Assert.InRange(result.New, 400, listed - 1);
        var shifts = await app.ShiftsAsync(user);
        Assert.Equal(result.New, shifts.Count);
        Assert.Equal(new DateOnly(2023, 1, 17), shifts.Min(s => s.LocalDate));
        Assert.Equal(new DateOnly(2024, 12, 11), shifts.Max(s => s.LocalDate));

        // The four daylight-saving nights: 00:30-03:30 is four hours in November and two in March.
        Assert.Equal(
            ["2023-03-12 120", "2023-11-05 240", "2024-03-10 120", "2024-11-03 240"],
            shifts.Where(s => s.StartAt.UtcDateTime.TimeOfDay is { Minutes: 30 } && s.WorkedMinutes is 120 or 240 && s.LocalDate.DayOfWeek == DayOfWeek.Sunday)
                .Select(s => $"{s.LocalDate:yyyy-MM-dd} {s.WorkedMinutes}"));
        var newYork = CleaningRules.FindZone("America/New_York")!;
        Assert.Contains(shifts, s => s.EndAt is { } end && CleaningRules.LocalDate(end, newYork) > s.LocalDate && s.LocalDate.DayOfWeek == DayOfWeek.Saturday);
        Assert.Equal(new DateOnly(2024, 12, 9), Assert.Single(shifts, s => s.Status == ShiftStatus.MissingOut).LocalDate);
        Assert.Equal([new DateOnly(2023, 10, 16), new DateOnly(2024, 2, 21)], shifts.Where(s => s.Status == ShiftStatus.Edited).Select(s => s.LocalDate));
        Assert.Contains("Unknown end reason 'autoClockOut'", Assert.Single(shifts, s => s.Status == ShiftStatus.Anomaly).Note, StringComparison.Ordinal);
        Assert.Contains(shifts.GroupBy(s => (s.LocalDate, s.JobId)), g => g.Count() == 2);
        Assert.Contains(shifts.GroupBy(s => s.LocalDate), g => g.Select(s => s.JobId).Distinct().Count() == 2);
        Assert.True(shifts.Count(s => s.WorkedMinutes != s.PaidMinutes) > shifts.Count / 2);
        var days = shifts.Select(s => s.LocalDate).Distinct().Order().ToList();
        Assert.Contains(days.Zip(days.Skip(1)), pair => pair.Second.DayNumber - pair.First.DayNumber > 14);
        Assert.Equal(2, await CountAsync(app.ConnectionString, "SELECT count(*) FROM raw_punches WHERE user_id = @user AND site_id IS NULL", user));
        Assert.True(await CountAsync(app.ConnectionString, "SELECT count(*) FROM raw_punches WHERE user_id = @user AND time_zone IS NULL", user) > 5);
    }
}
