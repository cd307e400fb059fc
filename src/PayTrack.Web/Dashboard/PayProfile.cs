using System.Globalization;
using Microsoft.Extensions.Options;
using Npgsql;
using PayTrack.Web.Data.Configurations;
using PayTrack.Web.Pay;
using PayTrack.Web.Timecards;

namespace PayTrack.Web.Dashboard;

/// <summary>One of the user's jobs as the pages name it.</summary>
public sealed record JobInfo(long Id, long EmployeeId, long PayRuleId, string? Department, decimal? BaseWage)
{
    public string Key => JobKeys.Of(EmployeeId, PayRuleId);

    public string Label => string.IsNullOrWhiteSpace(Department)
        ? string.Create(CultureInfo.InvariantCulture, $"Job {EmployeeId}/{PayRuleId}")
        : Department;
}

/// <summary>A raise of one job, with the job's id for the settings page.</summary>
public sealed record RateChangeInfo(long Id, long JobId, DateOnly EffectiveFrom, decimal HourlyRate);

/// <summary>
/// Everything pay needs about one user besides their shifts: settings (own or default), time zone, jobs and rates,
/// and the local date that counts as today.
/// </summary>
public sealed class PayProfile
{
    private readonly Dictionary<long, JobInfo> _jobsById;
    private readonly Dictionary<string, JobInfo> _jobsByKey;
    private PayCalculator? _calculator;

    public PayProfile(DashboardSubject subject, PayOptions options, bool hasOwnSettings, string timeZoneId, IReadOnlyList<JobInfo> jobs, IReadOnlyList<RateChangeInfo> rateChanges, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(jobs);
        ArgumentNullException.ThrowIfNull(rateChanges);
        Subject = subject;
        Options = options;
        HasOwnSettings = hasOwnSettings;
        TimeZoneId = timeZoneId;
        Zone = ShiftBuilder.FindZone(timeZoneId) ?? TimeZoneInfo.Utc;
        Jobs = jobs;
        RateChanges = rateChanges;
        Today = today;
        _jobsById = jobs.ToDictionary(j => j.Id);
        _jobsByKey = jobs.ToDictionary(j => j.Key, StringComparer.Ordinal);
        var baseWages = jobs.Where(j => j.BaseWage is not null).ToDictionary(j => j.Key, j => j.BaseWage!.Value, StringComparer.Ordinal);
        var changes = rateChanges.Where(r => _jobsById.ContainsKey(r.JobId)).Select(r => new PayRate(_jobsById[r.JobId].Key, r.EffectiveFrom, r.HourlyRate));
        Rates = new PayRateTable(baseWages, changes);
    }

    public DashboardSubject Subject { get; }

    public string UserId => Subject.UserId;

    public PayOptions Options { get; }

    public bool HasOwnSettings { get; }

    public string TimeZoneId { get; }

    public TimeZoneInfo Zone { get; }

    public IReadOnlyList<JobInfo> Jobs { get; }

    public IReadOnlyList<RateChangeInfo> RateChanges { get; }

    public PayRateTable Rates { get; }

    public DateOnly Today { get; }

    public PayCalculator Calculator => _calculator ??= new PayCalculator(Options, Rates);

    public JobInfo? Job(long id) => _jobsById.GetValueOrDefault(id);

    public string JobLabel(string jobKey) => _jobsByKey.TryGetValue(jobKey, out var job) ? job.Label : jobKey;

    public string KeyOf(long jobId) => _jobsById.TryGetValue(jobId, out var job)
        ? job.Key
        : string.Create(CultureInfo.InvariantCulture, $"job-{jobId}");

    public DateTimeOffset LocalTime(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Zone);
}

/// <summary>Loads a <see cref="PayProfile"/> in one round trip.</summary>
public sealed class PayProfiles(NpgsqlDataSource dataSource, TimeProvider clock, IOptions<PayOptions> defaults, IOptions<TimecardOptions> timecards)
{
    private const string Sql = """
        SELECT period_kind, period_anchor, payday_offset_days, workweek_start, overtime_enabled, use_rounded_times,
               weekly_cap_hours, near_cap_margin_hours
        FROM user_pay_settings WHERE user_id = $1;
        SELECT time_zone FROM kronos_connections WHERE user_id = $1;
        SELECT id, employee_id, pay_rule_id, department, base_wage_rate FROM jobs WHERE user_id = $1 ORDER BY employee_id, pay_rule_id;
        SELECT id, job_id, effective_from, hourly_rate FROM pay_rate_changes WHERE user_id = $1 ORDER BY job_id, effective_from
        """;

    public async Task<PayProfile> LoadAsync(DashboardSubject subject, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subject);
        await using var batch = dataSource.CreateBatch();
        foreach (var statement in Sql.Split(';'))
        {
            var command = new NpgsqlBatchCommand(statement);
            command.Parameters.Add(new NpgsqlParameter { Value = subject.UserId });
            batch.BatchCommands.Add(command);
        }

        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        var options = defaults.Value;
        var own = false;
        if (await reader.ReadAsync(cancellationToken))
        {
            own = true;
            options = new PayOptions
            {
                PeriodKind = DbNames.Parse<PayPeriodKind>(reader.GetString(0)),
                PeriodAnchor = reader.GetFieldValue<DateOnly>(1),
                PaydayOffsetDays = reader.GetInt32(2),
                WorkweekStart = DbNames.Parse<DayOfWeek>(reader.GetString(3)),
                OvertimeEnabled = reader.GetBoolean(4),
                UseRoundedTimes = reader.GetBoolean(5),
                WeeklyCapHours = reader.GetDecimal(6),
                NearCapMarginHours = reader.GetDecimal(7),
            };
        }

        await reader.NextResultAsync(cancellationToken);
        var zone = await reader.ReadAsync(cancellationToken) ? reader.GetString(0) : timecards.Value.DefaultTimeZone;

        await reader.NextResultAsync(cancellationToken);
        var jobs = new List<JobInfo>();
        while (await reader.ReadAsync(cancellationToken))
        {
            jobs.Add(new JobInfo(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetDecimal(4)));
        }

        await reader.NextResultAsync(cancellationToken);
        var changes = new List<RateChangeInfo>();
        while (await reader.ReadAsync(cancellationToken))
        {
            changes.Add(new RateChangeInfo(reader.GetInt64(0), reader.GetInt64(1), reader.GetFieldValue<DateOnly>(2), reader.GetDecimal(3)));
        }

        var today = subject.FixedToday ?? ShiftBuilder.LocalDate(clock.GetUtcNow(), ShiftBuilder.FindZone(zone) ?? TimeZoneInfo.Utc);
        return new PayProfile(subject, options, own, zone, jobs, changes, today);
    }
}
