namespace PayTrack.KronosSimulator.Data;

/// <summary>One Kronos login of the simulated site, with what is needed to compute its punches on the fly.</summary>
internal sealed record SimAccount
{
    public required string Username { get; init; }

    public required string Password { get; init; }

    public required string FirstName { get; init; }

    public required TimeZoneInfo Zone { get; init; }

    /// <summary>Hash of (seed, username): the root of every random choice about this account.</summary>
    public required ulong Key { get; init; }

    public required IReadOnlyList<SimJob> Jobs { get; init; }

    public required SchedulePattern Pattern { get; init; }

    /// <summary>Works through term breaks too (most student jobs stop).</summary>
    public bool WorksBreaks { get; init; }

    /// <summary>An older site version that sends no punch ids, no time zones and no day totals (all optional in the contract).</summary>
    public bool SparsePunches { get; init; }

    /// <summary>Faults the account always has unless configuration says otherwise (the SSO and locked-timecard demos).</summary>
    public FaultOptions? BuiltInFaults { get; init; }
}

internal sealed record SimJob
{
    public required int Index { get; init; }

    public required long EmployeeId { get; init; }

    public required long BadgeNum { get; init; }

    public required long PayRuleId { get; init; }

    public required string Department { get; init; }

    public required decimal Wage { get; init; }

    public required DateOnly HireDate { get; init; }

    /// <summary>Days of the week this job is worked on when its week is generated at random.</summary>
    public IReadOnlyList<DayOfWeek> Days { get; init; } = [DayOfWeek.Monday, DayOfWeek.Wednesday, DayOfWeek.Friday, DayOfWeek.Saturday];

    /// <summary>A fixed weekly timetable instead of a random one (the demo account's jobs).</summary>
    public IReadOnlyList<WeeklyShift>? Timetable { get; init; }

    /// <summary>Also works 00:30 to 03:30 on the nights daylight-saving time starts and ends.</summary>
    public bool DaylightSavingNights { get; init; }

    /// <summary>The shift on this day of a week whose number is a multiple of 5 always misses its out-punch.</summary>
    public DayOfWeek? MissedOutDay { get; init; }
}

internal sealed record WeeklyShift(DayOfWeek Day, TimeOnly Start, TimeSpan Length);

/// <summary>Probabilities that shape an account's random weeks.</summary>
internal sealed record SchedulePattern(double EveningShare, double DoubleShiftShare, double MissedOutShare, double SkipShare);
