using System.Text.Json.Serialization;
using PayTrack.Web.Kronos;

namespace PayTrack.Web.Timecards;

/// <summary>
/// PayTrack's own members of a backup file, beside the contract's (section 5): the zone for punches without one,
/// and the shifts the user entered by hand. Other readers ignore unknown members, so the file stays a contract backup.
/// </summary>
public sealed record BackupExtras
{
    [JsonPropertyName("timezone")]
    public string? TimeZone { get; init; }

    [JsonPropertyName("manualShifts")]
    public IReadOnlyList<BackupManualShift>? ManualShifts { get; init; }

    [JsonPropertyName("outTimes")]
    public IReadOnlyList<BackupOutTime>? OutTimes { get; init; }
}

/// <summary>
/// An out time the user entered for a punch the timecard has without one (decision 0022), and what became of it: the
/// punch is named by its job, its site id (when the site gave one) and its in time, as in the timecards above.
/// </summary>
public sealed record BackupOutTime
{
    [JsonPropertyName("employeeid")]
    public required long EmployeeId { get; init; }

    [JsonPropertyName("payruleid")]
    public required long PayRuleId { get; init; }

    [JsonPropertyName("punchid")]
    public string? PunchId { get; init; }

    [JsonPropertyName("in")]
    public required DateTimeOffset In { get; init; }

    [JsonPropertyName("out")]
    public required DateTimeOffset Out { get; init; }

    [JsonPropertyName("entered")]
    public required DateTimeOffset Entered { get; init; }

    /// <summary>When Kronos's own out time took over; absent while the user's is in force.</summary>
    [JsonPropertyName("replaced")]
    public DateTimeOffset? Replaced { get; init; }

    [JsonPropertyName("kronosOut")]
    public DateTimeOffset? KronosOut { get; init; }
}

public sealed record BackupManualShift
{
    [JsonPropertyName("employeeid")]
    public required long EmployeeId { get; init; }

    [JsonPropertyName("payruleid")]
    public required long PayRuleId { get; init; }

    [JsonPropertyName("start")]
    public required DateTimeOffset Start { get; init; }

    [JsonPropertyName("end")]
    public required DateTimeOffset End { get; init; }

    [JsonPropertyName("timezone")]
    public string? TimeZone { get; init; }

    [JsonPropertyName("note")]
    public string? Note { get; init; }
}

/// <summary>Everything a backup file holds, ready to be written.</summary>
public sealed record BackupDocument(
    EmployeeList Employee,
    IReadOnlyList<JobTimecard> Timecards,
    string? TimeZone,
    IReadOnlyList<BackupManualShift> ManualShifts)
{
    /// <summary>The out times the user entered for missed punches (none by default).</summary>
    public IReadOnlyList<BackupOutTime> OutTimes { get; init; } = [];
}

[JsonSourceGenerationOptions(
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    RespectNullableAnnotations = false)]
[JsonSerializable(typeof(BackupExtras))]
internal sealed partial class TimecardJsonContext : JsonSerializerContext;
