using PayTrack.Tests.Infrastructure;
using PayTrack.Web.Cli;
using PayTrack.Web.Timecards;
using static PayTrack.Tests.Timecards.TimecardTestKit;

namespace PayTrack.Tests.Timecards;

public sealed class TimecardCommandsTests(PayTrackAppFactory app) : IClassFixture<PayTrackAppFactory>
{
    private Dictionary<string, string?> Environment => new(StringComparer.Ordinal) { ["ConnectionStrings__PayTrack"] = app.ConnectionString };

    [Fact]
    public async Task ImportThenExportThroughTheCommands()
    {
        var user = await app.CreateUserAsync("cli-import@example.edu");

        var (importCode, importOutput) = await PayTrackProcess.RunAsync(["import", "--user", "cli-import@example.edu", DemoBackupTests.SeedFile], Environment);

        Assert.True(importCode == 0, importOutput);
        var shifts = await app.ShiftsAsync(user);
        Assert.Contains($"Imported demo-backup.json into cli-import@example.edu: {shifts.Count} new, 0 changed, 0 unchanged punches", importOutput, StringComparison.Ordinal);

        var (csvCode, csv) = await PayTrackProcess.RunAsync(["export", "--user", "cli-import@example.edu", "--format", "csv", "--from", "2023-11-01", "--to", "2023-11-30"], Environment);
        Assert.True(csvCode == 0, csv);
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(CsvExport.Header, lines[0]);
        Assert.Equal(shifts.Count(s => s.LocalDate.Year == 2023 && s.LocalDate.Month == 11), lines.Length - 1);

        var backupFile = Path.Combine(Path.GetTempPath(), $"paytrack-export-{Guid.NewGuid():N}.json");
        try
        {
            var (backupCode, backupOutput) = await PayTrackProcess.RunAsync(["export", "--user", "cli-import@example.edu", "--format", "backup", "--out", backupFile], Environment);
            Assert.True(backupCode == 0, backupOutput);
            var copy = await app.CreateUserAsync("cli-copy@example.edu");
            var (copyCode, copyOutput) = await PayTrackProcess.RunAsync(["import", "--user", "cli-copy@example.edu", backupFile], Environment);
            Assert.True(copyCode == 0, copyOutput);
            Assert.Equal(shifts.Select(s => (s.LocalDate, s.StartAt, s.WorkedMinutes, s.PaidMinutes, s.Status)), (await app.ShiftsAsync(copy)).Select(s => (s.LocalDate, s.StartAt, s.WorkedMinutes, s.PaidMinutes, s.Status)));
        }
        finally
        {
            File.Delete(backupFile);
        }
    }

    [Fact]
    public async Task ABadFileImportsNothingAndTheCommandSaysWhere()
    {
        var user = await app.CreateUserAsync("cli-bad@example.edu");
        var file = Path.Combine(Path.GetTempPath(), $"paytrack-bad-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, "{\"format\": \"paytrack-backup\", \"version\": 1,\n \"employee\": {\"list\": [{\"employeeid\": 1, \"payruleid\": 1}]},\n \"timecards\": [{\"employeeid\": 2, \"payruleid\": 1, \"periods\": []}]}");
        try
        {
            var (code, output) = await PayTrackProcess.RunAsync(["import", "--user", "cli-bad@example.edu", file], Environment);

            Assert.Equal(TimecardCommands.Refused, code);
            Assert.Contains("$.timecards[0]: Employee 2 with pay rule 1 is not in the employee list.", output, StringComparison.Ordinal);
            Assert.Empty(await app.ShiftsAsync(user));
            Assert.Equal(0, await CountAsync(app.ConnectionString, "SELECT count(*) FROM jobs WHERE user_id = @user", user));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task ImportForAnUnknownAccountSaysSo()
    {
        var (code, output) = await PayTrackProcess.RunAsync(["import", "--user", "nobody@example.edu", DemoBackupTests.SeedFile], Environment);

        Assert.Equal(1, code);
        Assert.Contains("No account with the e-mail address nobody@example.edu.", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheSeedDataCommandWritesTheCommittedFile()
    {
        var file = Path.Combine(Path.GetTempPath(), $"paytrack-seed-{Guid.NewGuid():N}.json");
        try
        {
            var (code, output) = await PayTrackProcess.RunAsync(["seed-data", "--out", file], Environment);

            Assert.True(code == 0, output);
            Assert.Equal(await File.ReadAllBytesAsync(DemoBackupTests.SeedFile), await File.ReadAllBytesAsync(file));
        }
        finally
        {
            File.Delete(file);
        }
    }
}
