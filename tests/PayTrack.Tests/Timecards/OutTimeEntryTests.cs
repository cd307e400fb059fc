using System.Text;
using PayTrack.Tests.Infrastructure;
using PayTrack.Web.Kronos;
using PayTrack.Web.Timecards;
using static PayTrack.Tests.Timecards.TimecardTestKit;

namespace PayTrack.Tests.Timecards;

public sealed class OutTimeEntryTests(PayTrackAppFactory app) : IClassFixture<PayTrackAppFactory>
{
    private static readonly TimecardPeriod MissedOut = Period("2023-09-03", "2023-09-16",
        Punch("m-1", "2023-09-05T13:00:00Z", null),
        Punch("m-2", "2023-09-06T13:00:00Z", "2023-09-06T17:00:00Z"));

    [Fact]
    public async Task AnOutTimeThatCannotCloseTheShiftIsRefusedInWordsAndChangesNothing()
    {
        var user = await app.CreateUserAsync("out-refused@example.edu");
        var other = await app.CreateUserAsync("out-stranger@example.edu");
        await app.IngestAsync(user, Library(MissedOut));
        var shifts = await app.ShiftsAsync(user);
        var open = shifts.Single(s => s.EndAt is null);
        var closed = shifts.Single(s => s.EndAt is not null);
        var before = await SnapshotAsync(app.ConnectionString);
        var outTimes = app.Service<OutTimes>();

        var beforeIn = await outTimes.EnterAsync(user, open.Id, Utc("2023-09-05T12:00:00Z"), CancellationToken.None);
        var atIn = await outTimes.EnterAsync(user, open.Id, Utc("2023-09-05T13:00:00Z"), CancellationToken.None);
        var tooLong = await outTimes.EnterAsync(user, open.Id, Utc("2023-09-06T13:01:00Z"), CancellationToken.None);
        var farFuture = await outTimes.EnterAsync(user, open.Id, DateTimeOffset.MaxValue, CancellationToken.None);
        var alreadyOut = await outTimes.EnterAsync(user, closed.Id, Utc("2023-09-06T18:00:00Z"), CancellationToken.None);
        var notTheirs = await outTimes.EnterAsync(other, open.Id, Utc("2023-09-05T17:00:00Z"), CancellationToken.None);

        Assert.Equal(
            [
                "The out time must be after the in time.",
                "The out time must be after the in time.",
                "A shift can last at most 24 hours.",
                "A shift can last at most 24 hours.",
                "Your timecard already has this shift's out time.",
                "There is no such shift of yours to change.",
            ],
            new[] { beforeIn, atIn, tooLong, farFuture, alreadyOut, notTheirs }.Select(r => r.Succeeded ? "saved" : r.Message));
        Assert.Equal(before, await SnapshotAsync(app.ConnectionString));
        Assert.Equal(0, await CountAsync(app.ConnectionString, "SELECT count(*) FROM out_time_entries WHERE user_id = @user", user));
    }

    [Fact]
    public async Task ABackupCarriesTheEnteredOutTimesAndARestoreClosesTheShiftsAgain()
    {
        var original = await app.CreateUserAsync("out-backup-a@example.edu");
        var copy = await app.CreateUserAsync("out-backup-b@example.edu");
        // Three missed out-punches: one the user fixes, one fixed then replaced by Kronos, one (with no site id) fixed.
        await app.IngestAsync(original, Library(Period("2023-09-03", "2023-09-16",
            Punch("b-1", "2023-09-05T13:00:00Z", null),
            Punch("b-2", "2023-09-06T13:00:00Z", null),
            Punch(null, "2023-09-07T13:00:00Z", null))));
        var outTimes = app.Service<OutTimes>();
        foreach (var (day, outAt) in new[] { (5, "2023-09-05T17:00:00Z"), (6, "2023-09-06T18:00:00Z"), (7, "2023-09-07T16:15:00Z") })
        {
            var open = (await app.ShiftsAsync(original)).Single(s => s.LocalDate.Day == day);
            Assert.True((await outTimes.EnterAsync(original, open.Id, Utc(outAt), CancellationToken.None)).Succeeded);
        }

        await app.IngestAsync(original, Library(Period("2023-09-03", "2023-09-16",
            Punch("b-2", "2023-09-06T13:00:00Z", "2023-09-06T17:30:00Z", updatedOn: "2023-09-08T12:00:00Z"))));
        var backups = app.Service<BackupImport>();
        using var file = new MemoryStream();
        await app.Service<BackupExport>().ExportAsync(original, file, null, null, CancellationToken.None);

        var restored = await backups.ImportAsync(copy, new MemoryStream(file.ToArray()), CancellationToken.None);
        var again = await backups.ImportAsync(copy, new MemoryStream(file.ToArray()), CancellationToken.None);

        Assert.True(restored.Succeeded, restored.Summary);
        Assert.True(again.Succeeded, again.Summary);
        Assert.Contains("\"outTimes\"", Encoding.UTF8.GetString(file.ToArray()), StringComparison.Ordinal);
        // The same entries, in force or replaced, once each (importing the file again adds none).
        Assert.Equal(await EntriesAsync(original), await EntriesAsync(copy));
        Assert.Equal(3, (await EntriesAsync(copy)).Count);
        Assert.Single(await EntriesAsync(copy), e => e.EndsWith("replaced", StringComparison.Ordinal));
        // The restored shifts are closed by the user's times (and by Kronos's where it replaced one), as in the original.
        Assert.Equal(
            (await app.ShiftsAsync(original)).Select(s => (s.LocalDate, s.EndAt, s.WorkedMinutes, s.Status, s.Note)),
            (await app.ShiftsAsync(copy)).Select(s => (s.LocalDate, s.EndAt, s.WorkedMinutes, s.Status, s.Note)));
        Assert.Equal(
            [Utc("2023-09-05T17:00:00Z"), Utc("2023-09-06T17:30:00Z"), Utc("2023-09-07T16:15:00Z")],
            (await app.ShiftsAsync(copy)).OrderBy(s => s.StartAt).Select(s => s.EndAt!.Value));
    }

    [Theory]
    [InlineData("2023-09-05T13:00:00.000Z", "b-1", "2023-09-05T12:00:00.000Z", "$.outTimes[0].out: The out time must be after the in time.")]
    [InlineData("2023-09-05T13:00:00.000Z", "b-1", "2023-09-06T13:01:00.000Z", "$.outTimes[0].out: A shift can last at most 24 hours.")]
    [InlineData("2023-09-05T13:00:00.000Z", "nope", "2023-09-05T17:00:00.000Z", "$.outTimes[0]: Employee 10234 with pay rule 7 has no punch with this id and in time in the file's timecards.")]
    public async Task ABackupWithAnOutTimeThatCannotBeIsRefusedInWordsAndStoresNothing(string inAt, string punchId, string outAt, string expected)
    {
        var user = await app.CreateUserAsync($"out-bad-{punchId}-{outAt[..13]}@example.edu");
        var json = $$"""
            {"format": "paytrack-backup", "version": 1, "timezone": "America/New_York",
             "employee": {"list": [{"employeeid": 10234, "payruleid": 7}]},
             "timecards": [{"employeeid": 10234, "payruleid": 7, "periods": [{"days": [{"punches": [
                {"id": "b-1", "in_datetime": "{{inAt}}", "endreason": "missedOut"}]}]}]}],
             "outTimes": [{"employeeid": 10234, "payruleid": 7, "punchid": "{{punchId}}", "in": "{{inAt}}", "out": "{{outAt}}", "entered": "2023-09-06T08:00:00.000Z"}]}
            """;
        var before = await SnapshotAsync(app.ConnectionString);

        var result = await app.Service<BackupImport>().ImportAsync(user, new MemoryStream(Encoding.UTF8.GetBytes(json)), CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Equal(expected, Assert.Single(result.Problems).ToString());
        Assert.Equal(before, await SnapshotAsync(app.ConnectionString));
        Assert.Equal(0, await CountAsync(app.ConnectionString, "SELECT count(*) FROM out_time_entries WHERE user_id = @user", user));
    }

    private async Task<List<string>> EntriesAsync(string userId)
    {
        var entries = new List<string>();
        await using var connection = new Npgsql.NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("""
            SELECT p.punch_key, e.out_at, e.entered_at, e.replaced_at, e.kronos_out_at
            FROM out_time_entries e JOIN raw_punches p ON p.id = e.raw_punch_id WHERE e.user_id = @user ORDER BY p.punch_key
            """, connection);
        command.Parameters.AddWithValue("user", userId);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var replaced = reader.IsDBNull(3) ? "in force" : $"{reader.GetFieldValue<DateTimeOffset>(3):O} {reader.GetFieldValue<DateTimeOffset>(4):O} replaced";
            entries.Add($"{reader.GetString(0)} {reader.GetFieldValue<DateTimeOffset>(1):O} {reader.GetFieldValue<DateTimeOffset>(2):O} {replaced}");
        }

        return entries;
    }

    [Fact]
    public async Task AnEnteredOutTimeClosesTheShiftUntilKronosDeliversItsOwn()
    {
        var user = await app.CreateUserAsync("out-entered@example.edu");
        await app.IngestAsync(user, Library(MissedOut));
        var open = (await app.ShiftsAsync(user)).Single(s => s.EndAt is null);

        var entered = await app.Service<OutTimes>().EnterAsync(user, open.Id, Utc("2023-09-05T17:00:00Z"), CancellationToken.None);

        Assert.True(entered.Succeeded, entered.Message);
        var fixedShift = (await app.ShiftsAsync(user)).Single(s => s.Id == open.Id);
        Assert.Equal((Utc("2023-09-05T17:00:00Z"), 240), (fixedShift.EndAt, fixedShift.WorkedMinutes));

        await app.IngestAsync(user, Library(Period("2023-09-03", "2023-09-16",
            Punch("m-1", "2023-09-05T13:00:00Z", "2023-09-05T16:30:00Z", updatedOn: "2023-09-07T12:00:00Z"),
            Punch("m-2", "2023-09-06T13:00:00Z", "2023-09-06T17:00:00Z"))));

        var kronosShift = (await app.ShiftsAsync(user)).Single(s => s.LocalDate == fixedShift.LocalDate && s.StartAt == fixedShift.StartAt);
        Assert.Equal((Utc("2023-09-05T16:30:00Z"), 210), (kronosShift.EndAt, kronosShift.WorkedMinutes));
        Assert.Equal(1, await CountAsync(app.ConnectionString, "SELECT count(*) FROM out_time_entries WHERE user_id = @user AND replaced_at IS NOT NULL", user));
    }
}
