namespace PayTrack.Web.Data;

/// <summary>One of a user's jobs as the Kronos site reports it (contract section 2); employee id plus pay rule id identify its timecard.</summary>
public sealed class Job
{
    public long Id { get; set; }

    public required string UserId { get; set; }

    public long EmployeeId { get; set; }

    public long PayRuleId { get; set; }

    public string? FirstName { get; set; }

    public long? BadgeNumber { get; set; }

    public string? Department { get; set; }

    /// <summary>Dollars per hour.</summary>
    public decimal? BaseWageRate { get; set; }

    public DateOnly? HireDate { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
