using System.Text.Json.Serialization;

namespace PayTrack.Web.Kronos;

// The Kronos campus timecard API's JSON, field for field as in docs/kronos-contract.md.
// The same records read the API and the backup file (contract section 5). Unknown fields are ignored;
// a missing required field (C# `required`) fails parsing with the JSON path of the punch.

/// <summary>GET {base}/rest/employeebyusername/{username}: one element per job.</summary>
public sealed record EmployeeList
{
    [JsonPropertyName("list")]
    public required IReadOnlyList<EmployeeJob> List { get; init; }
}

public sealed record EmployeeJob
{
    [JsonPropertyName("firstname")]
    public string? FirstName { get; init; }

    [JsonPropertyName("employeeid")]
    public required long EmployeeId { get; init; }

    [JsonPropertyName("badgenum")]
    public long? BadgeNum { get; init; }

    [JsonPropertyName("department_desc")]
    public string? DepartmentDesc { get; init; }

    [JsonPropertyName("payruleid")]
    public required long PayRuleId { get; init; }

    /// <summary>Dollars per hour.</summary>
    [JsonPropertyName("basewagerate")]
    public decimal? BaseWageRate { get; init; }

    /// <summary>Where a full history starts; midnight UTC of the hire date.</summary>
    [JsonPropertyName("hiredate")]
    public DateTimeOffset? HireDate { get; init; }
}

/// <summary>One pay period of GET {base}/rest/timecard/{employeeid}/{payruleid}/{start}/{end}, which answers an array of them.</summary>
public sealed record TimecardPeriod
{
    [JsonPropertyName("periodStart")]
    public DateOnly? PeriodStart { get; init; }

    [JsonPropertyName("periodEnd")]
    public DateOnly? PeriodEnd { get; init; }

    [JsonPropertyName("days")]
    public IReadOnlyList<TimecardDay> Days { get; init; } = [];
}

public sealed record TimecardDay
{
    /// <summary>The attributed day (local date of the in-punch), written as midnight UTC.</summary>
    [JsonPropertyName("day")]
    public DateTimeOffset? Day { get; init; }

    [JsonPropertyName("totalHours")]
    public decimal? TotalHours { get; init; }

    [JsonPropertyName("punches")]
    public IReadOnlyList<WirePunch> Punches { get; init; } = [];
}

public sealed record WirePunch
{
    /// <summary>The site's stable punch id; without it a punch is identified by job plus in_datetime.</summary>
    [JsonPropertyName("id")]
    public string? Id { get; init; }

    [JsonPropertyName("in_datetime")]
    public required DateTimeOffset InDateTime { get; init; }

    [JsonPropertyName("out_datetime")]
    public DateTimeOffset? OutDateTime { get; init; }

    /// <summary>"normal" or "missedOut"; any other value is kept and shown as an anomaly.</summary>
    [JsonPropertyName("endreason")]
    public required string EndReason { get; init; }

    [JsonPropertyName("in_rounded")]
    public DateTimeOffset? InRounded { get; init; }

    [JsonPropertyName("out_rounded")]
    public DateTimeOffset? OutRounded { get; init; }

    /// <summary>IANA zone of the time clock; when absent the connection's zone applies.</summary>
    [JsonPropertyName("timezone")]
    public string? TimeZone { get; init; }

    [JsonPropertyName("edited")]
    public bool? Edited { get; init; }

    [JsonPropertyName("updatedOn")]
    public DateTimeOffset? UpdatedOn { get; init; }
}

/// <summary>A 200 answer that is an object with an "error" member instead of an array: a failure, not an empty timecard.</summary>
public sealed record KronosErrorEnvelope
{
    [JsonPropertyName("error")]
    public KronosError? Error { get; init; }
}

public sealed record KronosError
{
    [JsonPropertyName("code")]
    public string? Code { get; init; }

    [JsonPropertyName("message")]
    public string? Message { get; init; }
}

/// <summary>The backup file (contract section 5).</summary>
public sealed record BackupFile
{
    public const string FormatName = "paytrack-backup";

    [JsonPropertyName("format")]
    public required string Format { get; init; }

    [JsonPropertyName("version")]
    public required int Version { get; init; }

    [JsonPropertyName("employee")]
    public required EmployeeList Employee { get; init; }

    [JsonPropertyName("timecards")]
    public required IReadOnlyList<JobTimecard> Timecards { get; init; }
}

/// <summary>One job's pay periods: what the client reads for a job, and an element of the backup file's timecards.</summary>
public sealed record JobTimecard
{
    [JsonPropertyName("employeeid")]
    public required long EmployeeId { get; init; }

    [JsonPropertyName("payruleid")]
    public required long PayRuleId { get; init; }

    [JsonPropertyName("periods")]
    public required IReadOnlyList<TimecardPeriod> Periods { get; init; }
}

/// <summary>Source-generated serialization for the wire records: no reflection on the hot path of ingest.</summary>
[JsonSourceGenerationOptions(
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    RespectNullableAnnotations = false)]
[JsonSerializable(typeof(EmployeeList))]
[JsonSerializable(typeof(IReadOnlyList<TimecardPeriod>))]
[JsonSerializable(typeof(KronosErrorEnvelope))]
[JsonSerializable(typeof(BackupFile))]
public sealed partial class KronosJsonContext : JsonSerializerContext;
