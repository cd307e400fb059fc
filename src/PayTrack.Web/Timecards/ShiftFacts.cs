using PayTrack.Web.Data;

namespace PayTrack.Web.Timecards;

/// <summary>A punch's fields as the cleaning rules read them; instants in UTC.</summary>
public sealed record PunchFacts(
    DateTimeOffset InAt,
    DateTimeOffset? OutAt,
    string EndReason,
    DateTimeOffset? InRounded,
    DateTimeOffset? OutRounded,
    string? TimeZone,
    bool Edited)
{
    public static PunchFacts From(IPunchFields punch) =>
        new(punch.InAt, punch.OutAt, punch.EndReason, punch.InRounded, punch.OutRounded, punch.TimeZone, punch.Edited == true);
}

/// <summary>What a punch (or a manual entry) means: the values a <see cref="Shift"/> row stores.</summary>
public sealed record ShiftFacts
{
    public required DateOnly LocalDate { get; init; }

    public required DateTimeOffset StartAt { get; init; }

    public DateTimeOffset? EndAt { get; init; }

    public required string TimeZone { get; init; }

    public DateTimeOffset? RoundedStartAt { get; init; }

    public DateTimeOffset? RoundedEndAt { get; init; }

    public required int WorkedMinutes { get; init; }

    public required int PaidMinutes { get; init; }

    public required ShiftStatus Status { get; init; }

    public string? Note { get; init; }

    public required bool Edited { get; init; }

    public static ShiftFacts Of(Shift shift) => new()
    {
        LocalDate = shift.LocalDate,
        StartAt = shift.StartAt,
        EndAt = shift.EndAt,
        TimeZone = shift.TimeZone,
        RoundedStartAt = shift.RoundedStartAt,
        RoundedEndAt = shift.RoundedEndAt,
        WorkedMinutes = shift.WorkedMinutes,
        PaidMinutes = shift.PaidMinutes,
        Status = shift.Status,
        Note = shift.Note,
        Edited = shift.Edited,
    };

    public void CopyTo(Shift shift)
    {
        shift.LocalDate = LocalDate;
        shift.StartAt = StartAt;
        shift.EndAt = EndAt;
        shift.TimeZone = TimeZone;
        shift.RoundedStartAt = RoundedStartAt;
        shift.RoundedEndAt = RoundedEndAt;
        shift.WorkedMinutes = WorkedMinutes;
        shift.PaidMinutes = PaidMinutes;
        shift.Status = Status;
        shift.Note = Note;
        shift.Edited = Edited;
    }
}

/// <summary>A shift as the overlap rule sees it: one job's interval, and whether the user entered it.</summary>
public readonly record struct ShiftSpan(long JobId, DateTimeOffset StartAt, DateTimeOffset? EndAt, bool Manual, string TimeZone);
