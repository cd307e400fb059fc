using System.Text;
using PayTrack.Tests.Infrastructure;
using PayTrack.Web.Data;
using PayTrack.Web.Kronos;
using PayTrack.Web.Timecards;
using static PayTrack.Tests.Timecards.TimecardTestKit;

namespace PayTrack.Tests.Timecards;

public sealed class BackupTests(PayTrackAppFactory app) : IClassFixture<PayTrackAppFactory>
{
    /// <summary>A little of everything: rounding, a fixed missed punch, an open one, an unknown end reason, no zone, a DST night, two jobs on one day.</summary>
    private static readonly IReadOnlyList<JobTimecard> Mixed =
    [
        Timecard(10234, 7,
        [
            Period("2023-10-29", "2023-11-11",
                Punch("p-1", "2023-10-30T13:58:00Z", "2023-10-30T17:02:00Z") with { InRounded = Utc("2023-10-30T14:00:00Z"), OutRounded = Utc("2023-10-30T17:00:00Z") },
                Punch("p-2", "2023-11-01T13:00:00Z", "2023-11-01T17:00:00Z", updatedOn: "2023-11-04T09:00:00Z", edited: true),
                Punch("p-3", "2023-11-05T04:30:00Z", "2023-11-05T08:30:00Z"),
                Punch("p-4", "2023-11-07T14:00:00Z", null, updatedOn: "2023-11-07T14:00:02Z"),
                Punch(null, "2023-11-08T14:00:00Z", "2023-11-08T16:00:00Z", zone: null),
                Punch("p-6", "2023-11-09T14:00:00Z", "2023-11-09T16:00:00Z", endReason: "autoClockOut")),
        ]),
        Timecard(20417, 3, [Period("2023-10-29", "2023-11-11", Punch("d-1", "2023-10-30T18:00:00Z", "2023-10-30T21:00:00Z"))]),
    ];

    private static MemoryStream Utf8(string text) => new(Encoding.UTF8.GetBytes(text));

    private static string Comparable(Shift s) =>
        $"{s.LocalDate:yyyy-MM-dd} {s.StartAt:O} {s.EndAt:O} {s.TimeZone} {s.RoundedStartAt:O} {s.RoundedEndAt:O} {s.WorkedMinutes} {s.PaidMinutes} {s.Status} {s.Note} {s.Edited} {(s.Source == ShiftSource.Manual ? "manual" : "synced")} {s.UserNote}";

    [Fact]
    public async Task ABackupRoundTripReproducesTheSameShifts()
    {
        var original = await app.CreateUserAsync("roundtrip-a@example.edu");
        var copy = await app.CreateUserAsync("roundtrip-b@example.edu");
        await app.IngestAsync(original, Mixed);
        var jobId = (await app.ShiftsAsync(original))[0].JobId;
        await app.Service<ManualShifts>().AddAsync(original, new ManualShiftRequest(jobId, Utc("2023-11-10T14:00:00Z"), Utc("2023-11-10T16:30:00Z"), "Covered for Sam"), CancellationToken.None);
        var backups = app.Service<BackupImport>();

        using var file = new MemoryStream();
        await app.Service<BackupExport>().ExportAsync(original, file, null, null, CancellationToken.None);
        file.Position = 0;
        var imported = await backups.ImportAsync(copy, file, CancellationToken.None);

        Assert.True(imported.Succeeded, imported.Summary);
        Assert.Equal((await app.ShiftsAsync(original)).Select(Comparable), (await app.ShiftsAsync(copy)).Select(Comparable));
        Assert.All(await app.ShiftsAsync(copy), s => Assert.Contains(s.Source, new[] { ShiftSource.Import, ShiftSource.Manual }));
    }

    [Fact]
    public async Task ImportingYourOwnExportAgainChangesNothing()
    {
        var user = await app.CreateUserAsync("reimport@example.edu");
        await app.IngestAsync(user, Mixed);
        var jobId = (await app.ShiftsAsync(user))[0].JobId;
        await app.Service<ManualShifts>().AddAsync(user, new ManualShiftRequest(jobId, Utc("2023-11-10T14:00:00Z"), Utc("2023-11-10T16:30:00Z"), null), CancellationToken.None);
        var backups = app.Service<BackupImport>();
        using var file = new MemoryStream();
        await app.Service<BackupExport>().ExportAsync(user, file, null, null, CancellationToken.None);
        var before = await SnapshotAsync(app.ConnectionString);

        var again = await backups.ImportAsync(user, new MemoryStream(file.ToArray()), CancellationToken.None);

        Assert.Equal((0, 0, 7, 0), (again.New, again.Changed, again.Unchanged, again.ShiftsWritten));
        Assert.Equal(before, await SnapshotAsync(app.ConnectionString));
    }

    [Theory]
    [InlineData("""{"format": "paytrack-backup", "version": 1, "employee": {"list": [}""", "$.employee.list[0] (line 1, position 67): '}' is an invalid start of a value.")]
    [InlineData("{\"format\": \"paytrack-backup\",\n \"version\": \"one\"}", "$.version (line 2, position 18): Not a valid value here: expected a whole number.")]
    [InlineData("{\"format\": \"paytrack-backup\", \"version\": 1, \"employee\": {\"list\": []}, \"timecards\": [{\"employeeid\": 1, \"payruleid\": 1, \"periods\": [{\"days\": [{\"punches\": [{\"in_datetime\": \"yesterday\"", "$.timecards[0].periods[0].days[0].punches[0].in_datetime (line 1, position 181): Not a valid value here: expected a date and time such as 2023-09-05T13:58:00.000Z.")]
    public async Task AMalformedFileChangesNothingAndSaysWhere(string json, string expected)
    {
        var user = await app.CreateUserAsync($"malformed{json.Length}@example.edu");
        await app.IngestAsync(user, Mixed);
        var before = await SnapshotAsync(app.ConnectionString);

        var result = await app.Service<BackupImport>().ImportAsync(user, Utf8(json), CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Equal(expected, Assert.Single(result.Problems).ToString());
        Assert.Equal("Nothing was stored: " + expected, result.Summary);
        Assert.Equal(before, await SnapshotAsync(app.ConnectionString));
    }

    [Fact]
    public async Task AMissingRequiredFieldIsNamedByItsPath()
    {
        var user = await app.CreateUserAsync("missing@example.edu");
        const string json = """
            {"format": "paytrack-backup", "version": 1,
             "employee": {"list": [{"employeeid": 10234, "payruleid": 7}]},
             "timecards": [{"employeeid": 10234, "payruleid": 7, "periods": [{"days": [{"punches": [
                {"id": "a", "in_datetime": "2023-09-05T13:00:00Z", "endreason": "normal"},
                {"id": "b", "out_datetime": "2023-09-05T17:00:00Z", "endreason": "normal"}]}]}]}]}
            """;

        var result = await app.Service<BackupImport>().ImportAsync(user, Utf8(json), CancellationToken.None);

        var problem = Assert.Single(result.Problems);
        Assert.StartsWith("$.timecards[0].periods[0].days[0].punches[1]", problem.Location, StringComparison.Ordinal);
        Assert.Equal("Required field missing: 'in_datetime'.", problem.Message);
        Assert.Empty(await app.ShiftsAsync(user));
    }

    [Fact]
    public async Task AFileThatIsNotABackupListsEveryProblemOfMeaning()
    {
        var user = await app.CreateUserAsync("notabackup@example.edu");
        const string json = """
            {"format": "timesheet", "version": 3, "employee": {"list": [{"employeeid": 1, "payruleid": 1}]},
             "timecards": [null], "manualShifts": [null]}
            """;

        var result = await app.Service<BackupImport>().ImportAsync(user, Utf8(json), CancellationToken.None);

        Assert.Equal(
            [
                "$.format: Expected \"paytrack-backup\", found \"timesheet\": this is not a PayTrack backup.",
                "$.version: This PayTrack reads version 1 backups; the file is version 3.",
                "$.timecards[0]: An empty entry (null) instead of a timecard.",
                "$.manualShifts[0]: An empty entry (null) instead of a shift.",
            ],
            result.Problems.Select(p => p.ToString()));
        var report = await app.Service<ShiftQueries>().BatchAsync(user, result.BatchId, 10, CancellationToken.None);
        Assert.Equal(4, report!.Problems.Count);
    }

    [Fact]
    public async Task TheCsvExportIsTheDocumentedFormat()
    {
        var user = await app.CreateUserAsync("csv@example.edu");
        await app.IngestAsync(user, Mixed);
        var jobId = (await app.ShiftsAsync(user))[0].JobId;
        await app.Service<ManualShifts>().AddAsync(user, new ManualShiftRequest(jobId, Utc("2023-11-10T14:00:00Z"), Utc("2023-11-10T16:30:00Z"), "Covered for \"Sam\""), CancellationToken.None);

        using var csv = new MemoryStream();
        await app.Service<CsvExport>().ExportAsync(user, csv, null, new DateOnly(2023, 11, 30), CancellationToken.None);

        Assert.Equal(
            """"
            date,employee_id,pay_rule_id,department,start,end,minutes,paid_minutes,status,edited,source,note
            2023-10-30,10234,7,Library Circulation,2023-10-30T09:58:00-04:00,2023-10-30T13:02:00-04:00,184,180,ok,false,kronos,
            2023-10-30,20417,3,"Dining Services, North",2023-10-30T14:00:00-04:00,2023-10-30T17:00:00-04:00,180,180,ok,false,kronos,
            2023-11-01,10234,7,Library Circulation,2023-11-01T09:00:00-04:00,2023-11-01T13:00:00-04:00,240,240,ok,true,kronos,
            2023-11-05,10234,7,Library Circulation,2023-11-05T00:30:00-04:00,2023-11-05T03:30:00-05:00,240,240,ok,false,kronos,
            2023-11-07,10234,7,Library Circulation,2023-11-07T09:00:00-05:00,,0,0,missing_out,false,kronos,Missed out-punch: counted as 0 hours until it is fixed.
            2023-11-08,10234,7,Library Circulation,2023-11-08T09:00:00-05:00,2023-11-08T11:00:00-05:00,120,120,ok,false,kronos,
            2023-11-09,10234,7,Library Circulation,2023-11-09T09:00:00-05:00,2023-11-09T11:00:00-05:00,120,120,anomaly,false,kronos,Unknown end reason 'autoClockOut'.
            2023-11-10,10234,7,Library Circulation,2023-11-10T09:00:00-05:00,2023-11-10T11:30:00-05:00,150,150,ok,false,manual,"Covered for ""Sam"""

            """".ReplaceLineEndings("\n"),
            Encoding.UTF8.GetString(csv.ToArray()));

        using var november = new MemoryStream();
        await app.Service<CsvExport>().ExportAsync(user, november, new DateOnly(2023, 11, 5), new DateOnly(2023, 11, 8), CancellationToken.None);
        Assert.Equal(4, Encoding.UTF8.GetString(november.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }
}
