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
    IReadOnlyList<BackupTimecard> Timecards,
    string? TimeZone,
    IReadOnlyList<BackupManualShift> ManualShifts);

[JsonSourceGenerationOptions(
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    RespectNullableAnnotations = false)]
[JsonSerializable(typeof(BackupExtras))]
internal sealed partial class TimecardJsonContext : JsonSerializerContext;
