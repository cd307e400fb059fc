using Npgsql;
using PayTrack.Tests.Infrastructure;
using PayTrack.Web.Data;
using PayTrack.Web.Kronos;
using PayTrack.Web.Timecards;
using static PayTrack.Tests.Timecards.TimecardTestKit;

namespace PayTrack.Tests.Timecards;

public sealed class TimecardIngestTests(PayTrackAppFactory app) : IClassFixture<PayTrackAppFactory>
{
    private static readonly TimecardPeriod September = Period("2023-09-03", "2023-09-16",
        Punch("p-1", "2023-09-05T13:58:00Z", "2023-09-05T17:02:00Z") with { InRounded = Utc("2023-09-05T14:00:00Z"), OutRounded = Utc("2023-09-05T17:00:00Z") },
        Punch("p-2", "2023-09-05T19:00:00Z", "2023-09-05T21:30:00Z"),
        Punch("p-3", "2023-09-09T02:00:00Z", "2023-09-09T06:00:00Z"),
        Punch(null, "2023-09-12T13:00:00Z", "2023-09-12T15:00:00Z", zone: null));

    [Fact]
    public async Task IngestStoresJobsPunchesAndTheirShifts()
    {
        var user = await app.CreateUserAsync("store@example.edu");

        var result = await app.IngestAsync(user, [Timecard(10234, 7, [September]), Timecard(20417, 3, [Period("2023-09-03", "2023-09-16", Punch("d-1", "2023-09-05T22:00:00Z", "2023-09-06T01:00:00Z"))])]);

        Assert.True(result.Succeeded, result.Summary);
        Assert.Equal((5, 0, 0, 5), (result.New, result.Changed, result.Unchanged, result.ShiftsWritten));
        var shifts = await app.ShiftsAsync(user);
        Assert.Equal(
            [
                "2023-09-05 184/180 complete",
                "2023-09-05 150/150 complete",
                "2023-09-05 180/180 complete",
                "2023-09-08 240/240 complete",
                "2023-09-12 120/120 complete",
            ],
            shifts.Select(s => $"{s.LocalDate:yyyy-MM-dd} {s.WorkedMinutes}/{s.PaidMinutes} {s.Status.ToString().ToLowerInvariant()}"));
        Assert.All(shifts, s => Assert.Equal("America/New_York", s.TimeZone));
        Assert.Equal(2, await CountAsync(app.ConnectionString, "SELECT count(*) FROM jobs WHERE user_id = @user AND department IS NOT NULL", user));
        Assert.Equal(1, await CountAsync(app.ConnectionString, "SELECT count(*) FROM raw_punches WHERE user_id = @user AND site_id IS NULL AND punch_key = 'in:2023-09-12T13:00:00.000Z'", user));
    }

    [Fact]
    public async Task IngestingTheSameDataTwiceChangesNothing()
    {
        var user = await app.CreateUserAsync("twice@example.edu");
        await app.IngestAsync(user, Library(September));
        var before = await SnapshotAsync(app.ConnectionString);

        var again = await app.IngestAsync(user, Library(September));

        Assert.Equal((0, 0, 4, 0), (again.New, again.Changed, again.Unchanged, again.ShiftsWritten));
        Assert.Equal(before, await SnapshotAsync(app.ConnectionString));
    }

    [Fact]
    public async Task AnOverlappingRangeWritesOnlyWhatIsNew()
    {
        var user = await app.CreateUserAsync("overlap@example.edu");
        await app.IngestAsync(user, Library(September));
        var before = await SnapshotAsync(app.ConnectionString);

        var overlapping = Period("2023-09-09", "2023-09-23",
            Punch("p-3", "2023-09-09T02:00:00Z", "2023-09-09T06:00:00Z"),
            Punch(null, "2023-09-12T13:00:00Z", "2023-09-12T15:00:00Z", zone: null),
            Punch("p-4", "2023-09-20T13:00:00Z", "2023-09-20T16:00:00Z"));
        var result = await app.IngestAsync(user, Library(overlapping));

        Assert.Equal((1, 0, 2, 1), (result.New, result.Changed, result.Unchanged, result.ShiftsWritten));
        var after = await SnapshotAsync(app.ConnectionString);
        Assert.Empty(before.Except(after));
        Assert.Equal(2, after.Except(before).Count());
    }

    [Fact]
    public async Task AMissedOutPunchFixedDaysLaterUpdatesItsShiftInPlaceAndKeepsTheOldVersion()
    {
        var user = await app.CreateUserAsync("fixed@example.edu");
        var missed = Punch("p-9", "2023-10-02T13:00:00Z", null, updatedOn: "2023-10-02T13:00:05Z");
        await app.IngestAsync(user, Library(Period("2023-10-01", "2023-10-14", missed)));
        var open = Assert.Single(await app.ShiftsAsync(user));
        Assert.Equal((ShiftStatus.MissingOut, 0), (open.Status, open.WorkedMinutes));

        var fixedPunch = missed with { OutDateTime = Utc("2023-10-02T17:00:00Z"), EndReason = "normal", Edited = true, UpdatedOn = Utc("2023-10-06T09:00:00Z") };
        var result = await app.IngestAsync(user, Library(Period("2023-10-01", "2023-10-14", fixedPunch)));

        Assert.Equal((0, 1, 0, 1), (result.New, result.Changed, result.Unchanged, result.ShiftsWritten));
        var shift = Assert.Single(await app.ShiftsAsync(user));
        Assert.Equal(open.Id, shift.Id);
        Assert.Equal((ShiftStatus.Edited, 240, true), (shift.Status, shift.WorkedMinutes, shift.Edited));

        var history = await app.Service<ShiftQueries>().HistoryAsync(user, shift.Id, CancellationToken.None);
        Assert.NotNull(history);
        Assert.Equal(2, history.Current.Version);
        var earlier = Assert.Single(history.EarlierVersions);
        Assert.Equal((1, null, "missedOut"), (earlier.Version, earlier.OutAt, earlier.EndReason));
        Assert.Equal(earlier.ValidTo, history.Current.ChangedAt);
        Assert.True(history.LastSeenAt >= history.Current.ChangedAt);
    }

    [Theory]
    [InlineData("in")]
    [InlineData("out")]
    [InlineData("end reason")]
    [InlineData("rounded in")]
    [InlineData("rounded out")]
    [InlineData("time zone")]
    [InlineData("edited")]
    [InlineData("updated on")]
    public async Task AChangeToAnyOneFieldOfAStoredPunchIsANewVersion(string field)
    {
        var user = await app.CreateUserAsync($"field-{field.Replace(' ', '-')}@example.edu");
        var stored = Punch("p-7", "2023-10-03T13:00:00Z", "2023-10-03T17:00:00Z", updatedOn: "2023-10-03T17:00:05Z", edited: false) with
        {
            InRounded = Utc("2023-10-03T13:00:00Z"),
            OutRounded = Utc("2023-10-03T17:00:00Z"),
        };
        await app.IngestAsync(user, Library(Period("2023-10-01", "2023-10-14", stored)));
        var changed = field switch
        {
            "in" => stored with { InDateTime = Utc("2023-10-03T12:45:00Z") },
            "out" => stored with { OutDateTime = Utc("2023-10-03T17:30:00Z") },
            "end reason" => stored with { EndReason = "supervisorEdit" },
            "rounded in" => stored with { InRounded = Utc("2023-10-03T12:45:00Z") },
            "rounded out" => stored with { OutRounded = Utc("2023-10-03T17:15:00Z") },
            "time zone" => stored with { TimeZone = "America/Chicago" },
            "edited" => stored with { Edited = true },
            _ => stored with { UpdatedOn = Utc("2023-10-04T09:00:00Z") },
        };

        var result = await app.IngestAsync(user, Library(Period("2023-10-01", "2023-10-14", changed)));

        Assert.Equal((0, 1, 0), (result.New, result.Changed, result.Unchanged));
        Assert.Equal(1, await CountAsync(app.ConnectionString, "SELECT count(*) FROM raw_punch_versions WHERE user_id = @user", user));
    }

    [Fact]
    public async Task AnOlderVersionNeverReplacesANewerOne()
    {
        var user = await app.CreateUserAsync("older@example.edu");
        var missed = Punch("p-5", "2023-10-03T13:00:00Z", null, updatedOn: "2023-10-03T13:00:05Z");
        var fixedPunch = missed with { OutDateTime = Utc("2023-10-03T15:00:00Z"), EndReason = "normal", Edited = true, UpdatedOn = Utc("2023-10-05T09:00:00Z") };
        await app.IngestAsync(user, Library(Period("2023-10-01", "2023-10-14", fixedPunch)));
        var before = await SnapshotAsync(app.ConnectionString);

        var stale = await app.IngestAsync(user, Library(Period("2023-10-01", "2023-10-14", missed)));

        Assert.Equal((0, 0, 1), (stale.New, stale.Changed, stale.Unchanged));
        Assert.Equal(before, await SnapshotAsync(app.ConnectionString));
    }

    [Fact]
    public async Task TwoUsersWithIdenticalPunchesDoNotCollide()
    {
        var first = await app.CreateUserAsync("first@example.edu");
        var second = await app.CreateUserAsync("second@example.edu");

        await app.IngestAsync(first, Library(September));
        var result = await app.IngestAsync(second, Library(September));

        Assert.Equal(4, result.New);
        Assert.Equal(4, (await app.ShiftsAsync(first)).Count);
        Assert.Equal(4, (await app.ShiftsAsync(second)).Count);
        Assert.Equal(4, await CountAsync(app.ConnectionString, "SELECT count(*) FROM shifts s JOIN raw_punches p ON p.id = s.raw_punch_id WHERE s.user_id = @user AND p.user_id = @user", second));
    }

    [Fact]
    public async Task ABatchWithProblemsStoresNothingAndRecordsWhy()
    {
        var user = await app.CreateUserAsync("problems@example.edu");
        var before = await SnapshotAsync(app.ConnectionString);

        var result = await app.IngestAsync(user, [Timecard(10234, 7, [September]), Timecard(55, 5, [September])]);

        Assert.False(result.Succeeded);
        Assert.Equal("$.timecards[1]: Employee 55 with pay rule 5 is not in the employee list.", Assert.Single(result.Problems).ToString());
        Assert.Equal(before, await SnapshotAsync(app.ConnectionString));
        var report = await app.Service<ShiftQueries>().BatchAsync(user, result.BatchId, 10, CancellationToken.None);
        Assert.Equal(IngestBatchStatus.Failed, report!.Batch.Status);
        Assert.Equal("$.timecards[1]", Assert.Single(report.Problems).Location);
    }

    [Fact]
    public async Task AFailureInTheMiddleOfABatchLeavesNothingHalfWritten()
    {
        var user = await app.CreateUserAsync("midway@example.edu");
        await using (var connection = new NpgsqlConnection(app.ConnectionString))
        {
            // The database refuses this user's shifts: the punches were merged a moment before, in the same transaction.
            await connection.OpenAsync();
            await using var trigger = new NpgsqlCommand($"""
                CREATE FUNCTION refuse_midway() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'refused for the test'; END $$;
                CREATE TRIGGER refuse_midway BEFORE INSERT ON shifts FOR EACH ROW
                WHEN (NEW.user_id = '{user}') EXECUTE FUNCTION refuse_midway();
                """, connection);
            await trigger.ExecuteNonQueryAsync();
        }

        var before = await SnapshotAsync(app.ConnectionString);

        await Assert.ThrowsAsync<PostgresException>(() => app.IngestAsync(user, Library(September)));

        Assert.Equal(before, await SnapshotAsync(app.ConnectionString));
        Assert.Equal(1, await CountAsync(app.ConnectionString, "SELECT count(*) FROM ingest_batches WHERE user_id = @user AND status = 'failed' AND message IS NOT NULL", user));
    }

    [Fact]
    public async Task APunchOverlappingAStoredOneFlagsBoth()
    {
        var user = await app.CreateUserAsync("neighbours@example.edu");
        await app.IngestAsync(user, Library(Period("2023-11-01", "2023-11-14", Punch("a", "2023-11-06T14:00:00Z", "2023-11-06T18:00:00Z"))));

        await app.IngestAsync(user, Library(Period("2023-11-01", "2023-11-14", Punch("b", "2023-11-06T17:00:00Z", "2023-11-06T19:00:00Z"))));

        var shifts = await app.ShiftsAsync(user);
        Assert.Equal(
            [
                "Overlaps another punch of this job (2023-11-06 12:00–14:00).",
                "Overlaps another punch of this job (2023-11-06 09:00–13:00).",
            ],
            shifts.Select(s => s.Note));
        Assert.All(shifts, s => Assert.Equal(ShiftStatus.Anomaly, s.Status));

        // The site fixes b: it no longer overlaps, and a is clean again although this batch does not hold it.
        await app.IngestAsync(user, Library(Period("2023-11-01", "2023-11-14", Punch("b", "2023-11-06T18:00:00Z", "2023-11-06T19:00:00Z", updatedOn: "2023-11-07T10:00:00Z", edited: true))));
        Assert.Equal([ShiftStatus.Complete, ShiftStatus.Edited], (await app.ShiftsAsync(user)).Select(s => s.Status));
    }

    [Fact]
    public async Task ANewPunchAndAChangedOneInTheSameBatchAreCheckedAgainstEachOther()
    {
        // New punches go straight into their tables and changed ones through the merge: the overlap rule sees both.
        var user = await app.CreateUserAsync("mixed@example.edu");
        await app.IngestAsync(user, Library(Period("2023-11-01", "2023-11-14", Punch("a", "2023-11-06T14:00:00Z", "2023-11-06T16:00:00Z"))));

        var result = await app.IngestAsync(user, Library(Period("2023-11-01", "2023-11-14",
            Punch("a", "2023-11-06T14:00:00Z", "2023-11-06T18:00:00Z", updatedOn: "2023-11-07T10:00:00Z", edited: true),
            Punch("b", "2023-11-06T17:00:00Z", "2023-11-06T19:00:00Z"))));

        Assert.Equal((1, 1, 0, 2), (result.New, result.Changed, result.Unchanged, result.ShiftsWritten));
        var shifts = await app.ShiftsAsync(user);
        Assert.Equal(
            [
                "Overlaps another punch of this job (2023-11-06 12:00–14:00).",
                "Overlaps another punch of this job (2023-11-06 09:00–13:00).",
            ],
            shifts.Select(s => s.Note));
        Assert.All(shifts, s => Assert.Equal(ShiftStatus.Anomaly, s.Status));
        Assert.Equal([240, 120], shifts.Select(s => s.WorkedMinutes));
    }

    [Fact]
    public async Task AManualShiftSurvivesSyncsAndAnOverlappingPunchFlagsBoth()
    {
        var user = await app.CreateUserAsync("manual@example.edu");
        await app.IngestAsync(user, Library(September));
        var jobId = (await app.ShiftsAsync(user))[0].JobId;
        var manual = await app.Service<ManualShifts>().AddAsync(user, new ManualShiftRequest(jobId, Utc("2023-10-10T13:00:00Z"), Utc("2023-10-10T17:00:00Z"), "Forgot to punch in"), CancellationToken.None);
        Assert.True(manual.Succeeded, manual.Message);

        var missed = Punch("k-1", "2023-10-10T13:05:00Z", null, updatedOn: "2023-10-10T13:05:02Z");
        await app.IngestAsync(user, Library(Period("2023-10-08", "2023-10-21", missed)));
        var afterOpen = (await app.ShiftsAsync(user)).Where(s => s.LocalDate == new DateOnly(2023, 10, 10)).ToList();
        Assert.Equal([(ShiftSource.Manual, ShiftStatus.Manual), (ShiftSource.Kronos, ShiftStatus.MissingOut)], afterOpen.Select(s => (s.Source, s.Status)));

        await app.IngestAsync(user, Library(Period("2023-10-08", "2023-10-21", missed with { OutDateTime = Utc("2023-10-10T17:00:00Z"), EndReason = "normal", Edited = true, UpdatedOn = Utc("2023-10-12T08:00:00Z") })));

        var conflict = (await app.ShiftsAsync(user)).Where(s => s.LocalDate == new DateOnly(2023, 10, 10)).ToList();
        Assert.Equal(2, conflict.Count);
        Assert.All(conflict, s => Assert.Equal(ShiftStatus.Anomaly, s.Status));
        var kept = Assert.Single(conflict, s => s.Source == ShiftSource.Manual);
        Assert.Equal((manual.Value, "Forgot to punch in", 240), (kept.Id, kept.UserNote, kept.WorkedMinutes));
        Assert.StartsWith("Overlaps a punch from the timecard", kept.Note, StringComparison.Ordinal);
        Assert.StartsWith("Overlaps a shift you entered by hand", conflict.Single(s => s.Source == ShiftSource.Kronos).Note, StringComparison.Ordinal);

        Assert.True((await app.Service<ManualShifts>().DeleteAsync(user, manual.Value, CancellationToken.None)).Succeeded);
        Assert.Equal(ShiftStatus.Edited, Assert.Single(await app.ShiftsAsync(user), s => s.LocalDate == new DateOnly(2023, 10, 10)).Status);
    }

    [Fact]
    public async Task ManualShiftsAreTheirOwnersAlone()
    {
        var owner = await app.CreateUserAsync("owner@example.edu");
        var other = await app.CreateUserAsync("other@example.edu");
        await app.IngestAsync(owner, Library(September));
        var ownersJob = (await app.ShiftsAsync(owner))[0].JobId;
        var manualShifts = app.Service<ManualShifts>();
        var added = await manualShifts.AddAsync(owner, new ManualShiftRequest(ownersJob, Utc("2023-10-10T13:00:00Z"), Utc("2023-10-10T15:00:00Z"), null), CancellationToken.None);

        var intoOthersJob = await manualShifts.AddAsync(other, new ManualShiftRequest(ownersJob, Utc("2023-10-11T13:00:00Z"), Utc("2023-10-11T15:00:00Z"), null), CancellationToken.None);
        var backwards = await manualShifts.AddAsync(owner, new ManualShiftRequest(ownersJob, Utc("2023-10-11T15:00:00Z"), Utc("2023-10-11T13:00:00Z"), null), CancellationToken.None);

        Assert.Equal("That job is not one of yours.", intoOthersJob.Message);
        Assert.Equal("The end must be after the start.", backwards.Message);
        Assert.False((await manualShifts.DeleteAsync(other, added.Value, CancellationToken.None)).Succeeded);
        Assert.False((await manualShifts.UpdateAsync(other, added.Value, new ManualShiftRequest(ownersJob, Utc("2023-10-10T13:00:00Z"), Utc("2023-10-10T16:00:00Z"), null), CancellationToken.None)).Succeeded);
        Assert.True((await manualShifts.UpdateAsync(owner, added.Value, new ManualShiftRequest(ownersJob, Utc("2023-10-10T13:00:00Z"), Utc("2023-10-10T16:00:00Z"), "longer"), CancellationToken.None)).Succeeded);
        Assert.Equal(180, (await app.ShiftsAsync(owner)).Single(s => s.Id == added.Value).WorkedMinutes);
        Assert.Empty(await app.ShiftsAsync(other));
    }

    [Fact]
    public async Task DaylightSavingNightsAreStoredWithTheirRealLength()
    {
        var user = await app.CreateUserAsync("dst@example.edu");
        var punches = new[]
        {
            Punch("ny-fall-23", "2023-11-05T04:30:00Z", "2023-11-05T08:30:00Z"),
            Punch("ny-spring-24", "2024-03-10T05:30:00Z", "2024-03-10T07:30:00Z"),
            Punch("la-fall-24", "2024-11-03T07:30:00Z", "2024-11-03T11:30:00Z", zone: "America/Los_Angeles"),
            Punch("la-spring-23", "2023-03-12T08:30:00Z", "2023-03-12T10:30:00Z", zone: "America/Los_Angeles"),
        };

        await app.IngestAsync(user, Library(Period("2023-01-01", "2024-12-31", punches)));

        Assert.Equal(
            ["2023-03-12 120 America/Los_Angeles", "2023-11-05 240 America/New_York", "2024-03-10 120 America/New_York", "2024-11-03 240 America/Los_Angeles"],
            (await app.ShiftsAsync(user)).Select(s => $"{s.LocalDate:yyyy-MM-dd} {s.WorkedMinutes} {s.TimeZone}"));
    }
}
