using PayTrack.Tests.Infrastructure;
using PayTrack.Web.Timecards;
using static PayTrack.Tests.Timecards.TimecardTestKit;

namespace PayTrack.Tests.Security;

/// <summary>Issue 10, point 7's service: the shift form's values are checked field by field; nothing unreadable becomes 00:00.</summary>
public sealed class ManualShiftFormTests(PayTrackAppFactory app) : IClassFixture<PayTrackAppFactory>
{
    private const string Zone = "America/New_York";

    [Theory]
    [InlineData("2024-12-02", "", "13:00", "start", "Enter the time the shift started.")]
    [InlineData("2024-12-02", "09:00", " ", "end", "Enter the time the shift ended.")]
    [InlineData("2024-12-02", "9am", "13:00", "start", "Enter a time such as 09:00 or 17:30.")]
    [InlineData("2024-12-02", "09:00", "25:00", "end", "Enter a time such as 09:00 or 17:30.")]
    [InlineData("2024-02-30", "09:00", "13:00", "date", "Enter a date such as 2024-12-02 (between 1970 and 2099).")]
    [InlineData("", "09:00", "13:00", "date", "Enter the date of the shift.")]
    [InlineData("0001-01-01", "09:00", "13:00", "date", "Enter a date such as 2024-12-02 (between 1970 and 2099).")]
    [InlineData("2024-12-02", "09:00", "09:00", "end", "The end is the same time as the start; enter when the shift ended.")]
    public void AnEmptyUnreadableOrZeroLengthValueIsRefusedNextToItsField(string date, string start, string end, string field, string message)
    {
        var check = app.Service<ManualShifts>().CheckForm(new ManualShiftForm(1, date, start, end, null), Zone);

        Assert.False(check.CanSave);
        Assert.Null(check.Request);
        Assert.Equal(message, check.Errors[field]);
    }

    [Fact]
    public void AShiftOverTheMaximumAsksForConfirmationThenSaves()
    {
        var shifts = app.Service<ManualShifts>();

        var first = shifts.CheckForm(new ManualShiftForm(1, "2024-12-02", "06:00", "20:30", null), Zone);
        Assert.False(first.CanSave);
        Assert.Empty(first.Errors);
        Assert.Equal("This shift is 14.5 hours, longer than the usual maximum of 12 hours. Save it anyway?", first.ConfirmLong);

        var confirmed = shifts.CheckForm(new ManualShiftForm(1, "2024-12-02", "06:00", "20:30", null, ConfirmedLong: true), Zone);
        Assert.True(confirmed.CanSave);
        Assert.Equal(Utc("2024-12-02T11:00:00Z"), confirmed.Request!.StartAt);
        Assert.Equal(Utc("2024-12-03T01:30:00Z"), confirmed.Request.EndAt);
    }

    [Fact]
    public void AnEndBeforeTheStartIsTheNextDayAndAMissingJobAndALongNoteAreNamed()
    {
        var shifts = app.Service<ManualShifts>();

        var overnight = shifts.CheckForm(new ManualShiftForm(1, "2024-12-02", "22:00", "02:00", "night"), Zone);
        Assert.True(overnight.CanSave);
        Assert.Equal(TimeSpan.FromHours(4), overnight.Request!.EndAt - overnight.Request.StartAt);

        var bad = shifts.CheckForm(new ManualShiftForm(null, "2024-12-02", "09:00", "13:00", new string('n', 501)), Zone);
        Assert.Equal("Choose the job this shift was for.", bad.Errors["job"]);
        Assert.Equal("The note can be at most 500 characters; it has 501.", bad.Errors["note"]);
    }

    [Fact]
    public async Task TheServiceRefusesAZeroLengthOrOutOfRangeShiftWhateverTheCaller()
    {
        var user = await app.CreateUserAsync("manual-bounds@example.edu");
        var shifts = app.Service<ManualShifts>();

        var same = await shifts.AddAsync(user, new ManualShiftRequest(1, Utc("2024-12-02T14:00:00Z"), Utc("2024-12-02T14:00:00Z"), null), CancellationToken.None);
        var ancient = await shifts.AddAsync(user, new ManualShiftRequest(1, Utc("0001-01-01T14:00:00Z"), Utc("0001-01-01T18:00:00Z"), null), CancellationToken.None);

        Assert.Equal("The end is the same time as the start; enter when the shift ended.", same.Message);
        Assert.Equal("Expected a date and time between 1970 and 2100; found 0001-01-01.", ancient.Message);
    }
}
