using System.Globalization;
using System.Text.Json.Serialization;
using PayTrack.Web.Dashboard;
using PayTrack.Web.Data;
using PayTrack.Web.Pay;
using PayTrack.Web.Timecards;

namespace PayTrack.Web.Api;

public sealed record ApiJob(
    [property: JsonPropertyName("employee_id")] long EmployeeId,
    [property: JsonPropertyName("pay_rule_id")] long PayRuleId,
    [property: JsonPropertyName("department")] string? Department);

/// <summary>
/// One shift in GET /api/shifts: the CSV export's columns and values (times local with their offset, status
/// <c>ok</c>, <c>missing_out</c> or <c>anomaly</c>), plus the shift's id, zone and the user's own note.
/// </summary>
public sealed record ApiShift(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("date")] DateOnly Date,
    [property: JsonPropertyName("job")] ApiJob Job,
    [property: JsonPropertyName("start")] string Start,
    [property: JsonPropertyName("end")] string? End,
    [property: JsonPropertyName("time_zone")] string TimeZone,
    [property: JsonPropertyName("minutes")] int Minutes,
    [property: JsonPropertyName("paid_minutes")] int PaidMinutes,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("edited")] bool Edited,
    [property: JsonPropertyName("source")] string Source,
    [property: JsonPropertyName("note")] string? Note,
    [property: JsonPropertyName("user_note")] string? UserNote)
{
    public static ApiShift From(ShiftRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var shift = row.Shift;
        var zone = CleaningRules.FindZone(shift.TimeZone) ?? TimeZoneInfo.Utc;
        return new ApiShift(
            shift.Id,
            shift.LocalDate,
            new ApiJob(row.EmployeeId, row.PayRuleId, row.Department),
            Local(shift.StartAt, zone),
            shift.EndAt is { } end ? Local(end, zone) : null,
            shift.TimeZone,
            shift.WorkedMinutes,
            shift.PaidMinutes,
            shift.Status switch
            {
                ShiftStatus.MissingOut => "missing_out",
                ShiftStatus.Anomaly => "anomaly",
                _ => "ok",
            },
            shift.Edited,
            shift.Source switch
            {
                ShiftSource.Kronos => "kronos",
                ShiftSource.Import => "import",
                _ => "manual",
            },
            shift.Note,
            shift.UserNote);
    }

    private static string Local(DateTimeOffset instant, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(instant, zone).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
}

[JsonSerializable(typeof(IReadOnlyList<ApiShift>))]
[JsonSerializable(typeof(PaySummary))]
[JsonSerializable(typeof(StudentPayReport))]
public sealed partial class ApiJsonContext : JsonSerializerContext;
