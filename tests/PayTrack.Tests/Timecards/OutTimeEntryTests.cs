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
            new[] { beforeIn, atIn, tooLong, farFuture, alreadyOut, notTheirs }.Select(r => r.Succeeded ? "saved" : r.Error));
        Assert.Equal(before, await SnapshotAsync(app.ConnectionString));
        Assert.Equal(0, await CountAsync(app.ConnectionString, "SELECT count(*) FROM out_time_entries WHERE user_id = @user", user));
    }

    [Fact]
    public async Task AnEnteredOutTimeClosesTheShiftUntilKronosDeliversItsOwn()
    {
        var user = await app.CreateUserAsync("out-entered@example.edu");
        await app.IngestAsync(user, Library(MissedOut));
        var open = (await app.ShiftsAsync(user)).Single(s => s.EndAt is null);

        var entered = await app.Service<OutTimes>().EnterAsync(user, open.Id, Utc("2023-09-05T17:00:00Z"), CancellationToken.None);

        Assert.True(entered.Succeeded, entered.Error);
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
