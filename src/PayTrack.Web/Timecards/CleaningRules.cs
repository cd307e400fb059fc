using System.Collections.Concurrent;
using System.Globalization;
using PayTrack.Web.Data;

namespace PayTrack.Web.Timecards;

/// <summary>
/// The cleaning rules: what a raw punch means as a shift. No I/O; instants stay UTC and local dates come from
/// the punch's IANA zone, so durations are real elapsed time across daylight-saving changes.
/// </summary>
public sealed class CleaningRules(TimeSpan maxShift)
{
    public const string NormalEnd = "normal";
    public const string MissedOutEnd = "missedOut";

    private static readonly ConcurrentDictionary<string, TimeZoneInfo?> Zones = new(StringComparer.Ordinal);

    public TimeSpan MaxShift { get; } = maxShift;

    /// <summary>
    /// The meaning of one punch on its own, as the shift to store for it (same user, job and source);
    /// <paramref name="fallbackZone"/> applies when the punch names no zone.
    /// </summary>
    public Shift FromPunch(RawPunch punch, string fallbackZone)
    {
        ArgumentNullException.ThrowIfNull(punch);
        var anomalies = new List<string>(1);
        var zoneId = string.IsNullOrWhiteSpace(punch.TimeZone) ? fallbackZone : punch.TimeZone;
        var zone = FindZone(zoneId);
        if (zone is null)
        {
            anomalies.Add($"Unknown time zone '{zoneId}': times shown in {fallbackZone}.");
            zoneId = fallbackZone;
            zone = FindZone(fallbackZone) ?? TimeZoneInfo.Utc;
        }

        var knownEnd = punch.EndReason is NormalEnd or MissedOutEnd;
        if (!knownEnd)
        {
            anomalies.Add($"Unknown end reason '{punch.EndReason}'.");
        }

        var (worked, paid) = Measure(punch, zone, anomalies);
        if (punch.OutAt is null && anomalies.Count > 0)
        {
            anomalies.Add("No out-punch: counted as 0 hours.");
        }

        ShiftStatus status;
        string? note;
        if (anomalies.Count > 0)
        {
            status = ShiftStatus.Anomaly;
            note = string.Join(" ", anomalies);
        }
        else if (punch.OutAt is null)
        {
            status = ShiftStatus.MissingOut;
            note = "Missed out-punch: counted as 0 hours until it is fixed.";
        }
        else
        {
            status = punch.Edited == true ? ShiftStatus.Edited : ShiftStatus.Complete;
            note = null;
        }

        return new Shift
        {
            UserId = punch.UserId,
            JobId = punch.JobId,
            RawPunchId = punch.Id > 0 ? punch.Id : null,
            Source = punch.Source,
            LocalDate = LocalDate(punch.InAt, zone),
            StartAt = punch.InAt,
            EndAt = punch.OutAt,
            TimeZone = zoneId,
            RoundedStartAt = punch.InRounded,
            RoundedEndAt = punch.OutRounded,
            WorkedMinutes = worked,
            PaidMinutes = paid,
            Status = status,
            Note = note,
            Edited = punch.Edited == true,
        };
    }

    /// <summary>Worked and paid minutes of a closed punch; 0 for an open one or one that ends before it starts.</summary>
    private (int Worked, int Paid) Measure(RawPunch punch, TimeZoneInfo zone, List<string> anomalies)
    {
        if (punch.OutAt is not { } outAt)
        {
            return (0, 0);
        }

        var length = outAt - punch.InAt;
        if (length <= TimeSpan.Zero)
        {
            anomalies.Add(length == TimeSpan.Zero
                ? "The out-punch equals the in-punch: no time counted."
                : $"The out-punch ({Clock(outAt, zone)}) is before the in-punch ({Clock(punch.InAt, zone)}): no time counted.");
            return (0, 0);
        }

        if (length > MaxShift)
        {
            anomalies.Add($"Longer than {Hours(MaxShift)} ({Hours(length)}): check the punches.");
        }

        var worked = Minutes(length);
        var paid = punch.InRounded is { } inRounded && punch.OutRounded is { } outRounded
            ? Math.Max(0, Minutes(outRounded - inRounded))
            : worked;
        return (worked, paid);
    }

    /// <summary>The meaning of a shift the user entered by hand, as the shift to store.</summary>
    public Shift FromManual(string userId, long jobId, DateTimeOffset startAt, DateTimeOffset endAt, string zoneId)
    {
        var zone = FindZone(zoneId) ?? throw new ArgumentException($"Unknown time zone '{zoneId}'.", nameof(zoneId));
        var length = endAt - startAt;
        string? note = null;
        if (length <= TimeSpan.Zero)
        {
            note = "Ends before it starts: no time counted.";
        }
        else if (length > MaxShift)
        {
            note = $"Longer than {Hours(MaxShift)} ({Hours(length)}): check the times.";
        }

        var worked = length > TimeSpan.Zero ? Minutes(length) : 0;
        return new Shift
        {
            UserId = userId,
            JobId = jobId,
            Source = ShiftSource.Manual,
            LocalDate = LocalDate(startAt, zone),
            StartAt = startAt,
            EndAt = endAt,
            TimeZone = zoneId,
            WorkedMinutes = worked,
            PaidMinutes = worked,
            Status = note is null ? ShiftStatus.Manual : ShiftStatus.Anomaly,
            Note = note,
            Edited = false,
        };
    }

    /// <summary>
    /// Overlapping shifts of one job: both are kept, both are flagged. Returns, per input, the sentence to add to its
    /// note, or null. Open shifts (no out-punch) and shifts of different jobs never overlap; touching ends do not either.
    /// </summary>
    public static string?[] FindOverlaps(IReadOnlyList<Shift> spans)
    {
        ArgumentNullException.ThrowIfNull(spans);
        var result = new string?[spans.Count];
        var partners = new Dictionary<int, List<int>>();
        var order = Enumerable.Range(0, spans.Count)
            .Where(i => spans[i].EndAt is { } end && end > spans[i].StartAt)
            .OrderBy(i => spans[i].JobId)
            .ThenBy(i => spans[i].StartAt)
            .ToList();

        var active = new List<int>();
        long? job = null;
        foreach (var i in order)
        {
            var span = spans[i];
            if (span.JobId != job)
            {
                active.Clear();
                job = span.JobId;
            }

            active.RemoveAll(a => spans[a].EndAt!.Value <= span.StartAt);
            foreach (var other in active)
            {
                Add(partners, i, other);
                Add(partners, other, i);
            }

            active.Add(i);
        }

        foreach (var (i, others) in partners)
        {
            var first = others.OrderBy(o => spans[o].StartAt).First();
            var what = (IsManual(spans[i]), IsManual(spans[first])) switch
            {
                (false, true) => "a shift you entered by hand",
                (true, false) => "a punch from the timecard",
                _ => IsManual(spans[i]) ? "another shift you entered by hand" : "another punch of this job",
            };
            var zone = FindZone(spans[i].TimeZone) ?? TimeZoneInfo.Utc;
            var more = others.Count > 1 ? string.Create(CultureInfo.InvariantCulture, $" and {others.Count - 1} more") : "";
            result[i] = $"Overlaps {what} ({Day(spans[first].StartAt, zone)} {Clock(spans[first].StartAt, zone)}–{Clock(spans[first].EndAt!.Value, zone)}){more}.";
        }

        return result;
    }

    /// <summary>A copy of the shift with an overlap sentence added: an overlapping shift is an anomaly whatever it was before.</summary>
    public static Shift WithOverlap(Shift shift, string overlap)
    {
        ArgumentNullException.ThrowIfNull(shift);
        var flagged = shift.Copy();
        flagged.Status = ShiftStatus.Anomaly;
        flagged.Note = shift.Note is null ? overlap : shift.Note + " " + overlap;
        return flagged;
    }

    /// <summary>Whether two shifts mean the same: the values the rules decide (not ids, source, the user's note or when it was written).</summary>
    public static bool SameMeaning(Shift a, Shift b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return a.LocalDate == b.LocalDate && a.StartAt == b.StartAt && a.EndAt == b.EndAt
            && string.Equals(a.TimeZone, b.TimeZone, StringComparison.Ordinal) && a.RoundedStartAt == b.RoundedStartAt
            && a.RoundedEndAt == b.RoundedEndAt && a.WorkedMinutes == b.WorkedMinutes && a.PaidMinutes == b.PaidMinutes
            && a.Status == b.Status && string.Equals(a.Note, b.Note, StringComparison.Ordinal) && a.Edited == b.Edited;
    }

    private static bool IsManual(Shift shift) => shift.Source == ShiftSource.Manual;

    public static TimeZoneInfo? FindZone(string? id) =>
        string.IsNullOrWhiteSpace(id) ? null : Zones.GetOrAdd(id, static i => TimeZoneInfo.TryFindSystemTimeZoneById(i, out var zone) ? zone : null);

    public static bool IsKnownZone(string? id) => FindZone(id) is not null;

    public static DateOnly LocalDate(DateTimeOffset instant, TimeZoneInfo zone) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, zone).DateTime);

    /// <summary>
    /// The one rule for a user's "today", used by pages and jobs alike: the local date now in <paramref name="zoneId"/>
    /// (the user's Kronos connection's zone, else the configured default), or in UTC for a zone this system lacks.
    /// </summary>
    public static DateOnly Today(TimeProvider clock, string? zoneId)
    {
        ArgumentNullException.ThrowIfNull(clock);
        return LocalDate(clock.GetUtcNow(), FindZone(zoneId) ?? TimeZoneInfo.Utc);
    }

    /// <summary>Whole minutes, to the nearest minute.</summary>
    public static int Minutes(TimeSpan length) => (int)Math.Round(length.TotalMinutes, MidpointRounding.AwayFromZero);

    private static string Clock(DateTimeOffset instant, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(instant, zone).ToString("HH:mm", CultureInfo.InvariantCulture);

    private static string Day(DateTimeOffset instant, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(instant, zone).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Hours(TimeSpan length)
    {
        var minutes = Minutes(length);
        return minutes % 60 == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{minutes / 60} h")
            : string.Create(CultureInfo.InvariantCulture, $"{minutes / 60} h {minutes % 60:00} min");
    }

    private static void Add(Dictionary<int, List<int>> partners, int key, int value)
    {
        if (!partners.TryGetValue(key, out var list))
        {
            partners[key] = list = [];
        }

        list.Add(value);
    }
}
