using System.Globalization;
using Microsoft.Extensions.Options;
using Npgsql;
using PayTrack.Web.Data.Configurations;
using PayTrack.Web.Data;
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

    public PayProfile(DashboardSubject subject, PayOptions options, bool hasOwnSettings, string timeZoneId, IReadOnlyList<JobInfo> jobs, IReadOnlyList<RateChangeInfo> rateChanges, DateOnly today, bool hasKronosConnection = false, TermCalendar? terms = null)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(jobs);
        ArgumentNullException.ThrowIfNull(rateChanges);
        Subject = subject;
        Options = options;
        HasOwnSettings = hasOwnSettings;
        TimeZoneId = timeZoneId;
        Zone = CleaningRules.FindZone(timeZoneId) ?? TimeZoneInfo.Utc;
        Jobs = jobs;
        RateChanges = rateChanges;
        Today = today;
        HasKronosConnection = hasKronosConnection;
        Terms = terms ?? TermCalendar.None;
        _jobsById = jobs.ToDictionary(j => j.Id);
        _jobsByKey = jobs.ToDictionary(j => j.Key, StringComparer.Ordinal);
        // A wage stored before PayTrack checked them (35000, -14.2) is left out, not thrown on: its job shows among
        // the jobs without a rate, a problem the user can fix, and the rest of the account's figures stay readable.
        var baseWages = jobs.Where(j => j.BaseWage is { } wage && UsableRate(wage)).ToDictionary(j => j.Key, j => j.BaseWage!.Value, StringComparer.Ordinal);
        var changes = rateChanges
            .Where(r => _jobsById.ContainsKey(r.JobId) && UsableRate(r.HourlyRate))
            .GroupBy(r => (r.JobId, r.EffectiveFrom))
            .Select(g => g.First())
            .Select(r => new PayRate(_jobsById[r.JobId].Key, r.EffectiveFrom, r.HourlyRate));
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

    /// <summary>The user saved a Kronos connection (its zone is then theirs).</summary>
    public bool HasKronosConnection { get; }

    /// <summary>The user's terms: the weekly cap of a break week, the FICA exemption's days.</summary>
    public TermCalendar Terms { get; }

    public PayCalculator Calculator => _calculator ??= new PayCalculator(Options, Rates, Terms);

    public JobInfo? Job(long id) => _jobsById.GetValueOrDefault(id);

    public string JobLabel(string jobKey) => _jobsByKey.TryGetValue(jobKey, out var job) ? job.Label : jobKey;

    public string KeyOf(long jobId) => _jobsById.TryGetValue(jobId, out var job)
        ? job.Key
        : string.Create(CultureInfo.InvariantCulture, $"job-{jobId}");

    public DateTimeOffset LocalTime(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Zone);

    private static bool UsableRate(decimal rate) => rate is >= 0m and <= TimecardLimits.MaxHourlyRate;
}

/// <summary>Loads a <see cref="PayProfile"/> with one statement.</summary>
public sealed class PayProfiles(NpgsqlDataSource dataSource, TimeProvider clock, IOptions<PayOptions> defaults, IOptions<TimecardOptions> timecards)
{
    /// <summary>
    /// One statement: the settings and the connection's zone (one row even when neither exists), each of the user's
    /// jobs, and each job's raises, so a page reads its profile with no extra statement. The student settings and
    /// the terms (as arrays, aggregated once) ride on every row and are read from the first.
    /// </summary>
    private const string Sql = """
        SELECT s.period_kind, s.period_anchor, s.payday_offset_days, s.workweek_start, s.overtime_enabled, s.use_rounded_times,
               s.weekly_cap_hours, s.near_cap_margin_hours, k.time_zone,
               j.id, j.employee_id, j.pay_rule_id, j.department, j.base_wage_rate, r.id, r.effective_from, r.hourly_rate,
               sp.overtime_rule, sp.break_cap_hours, sp.fica_student_exempt, sp.withholding_percent, tm.names, tm.firsts, tm.lasts
        FROM (SELECT $1::text AS user_id) u
        LEFT JOIN user_pay_settings s ON s.user_id = u.user_id
        LEFT JOIN kronos_connections k ON k.user_id = u.user_id
        LEFT JOIN student_pay_settings sp ON sp.user_id = u.user_id
        CROSS JOIN LATERAL (
            SELECT array_agg(t.name ORDER BY t.first_day) AS names, array_agg(t.first_day ORDER BY t.first_day) AS firsts,
                   array_agg(t.last_day ORDER BY t.first_day) AS lasts
            FROM terms t WHERE t.user_id = u.user_id) tm
        LEFT JOIN jobs j ON j.user_id = u.user_id
        LEFT JOIN pay_rate_changes r ON r.job_id = j.id AND r.user_id = u.user_id
        ORDER BY j.employee_id, j.pay_rule_id, r.effective_from
        """;

    /// <summary>
    /// The first and last local date that can be "today" for the subject in any time zone, for a page that must choose
    /// its dates before it knows the user's zone.
    /// </summary>
    public (DateOnly Earliest, DateOnly Latest) PossibleToday(DashboardSubject subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        if (subject.FixedToday is { } fixedToday)
        {
            return (fixedToday, fixedToday);
        }

        var utc = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        return (utc.AddDays(-1), utc.AddDays(1));
    }

    public async Task<PayProfile> LoadAsync(DashboardSubject subject, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await LoadAsync(connection, subject, cancellationToken);
    }

    /// <summary>On a connection the caller goes on using for its own reads.</summary>
    public async Task<PayProfile> LoadAsync(NpgsqlConnection connection, DashboardSubject subject, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subject);
        await using var batch = new NpgsqlBatch(connection);
        AddStatements(batch, subject.UserId);
        await using var reader = await Prepared.ExecuteAsync(batch, cancellationToken);
        return await ReadAsync(reader, subject, cancellationToken);
    }

    /// <summary>The profile's statement, for a page that reads its own rows in the same round trip.</summary>
    public static void AddStatements(NpgsqlBatch batch, string userId)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var command = new NpgsqlBatchCommand(Sql);
        command.Parameters.Add(new NpgsqlParameter { Value = userId });
        batch.BatchCommands.Add(command);
    }

    /// <summary>Reads the result of <see cref="AddStatements"/>; the reader is then at the end of it.</summary>
    public async Task<PayProfile> ReadAsync(NpgsqlDataReader reader, DashboardSubject subject, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(subject);
        await reader.ReadAsync(cancellationToken);
        var own = !reader.IsDBNull(0);
        var options = own
            ? new PayOptions
            {
                PeriodKind = DbNames.Parse<PayPeriodKind>(reader.GetString(0)),
                PeriodAnchor = reader.GetFieldValue<DateOnly>(1),
                PaydayOffsetDays = reader.GetInt32(2),
                WorkweekStart = DbNames.Parse<DayOfWeek>(reader.GetString(3)),
                OvertimeEnabled = reader.GetBoolean(4),
                UseRoundedTimes = reader.GetBoolean(5),
                WeeklyCapHours = reader.GetDecimal(6),
                NearCapMarginHours = reader.GetDecimal(7),
            }
            : defaults.Value;
        options = StudentOptions(reader, options);
        var terms = Terms(reader);
        var hasConnection = !reader.IsDBNull(8);
        var zone = hasConnection ? reader.GetString(8) : timecards.Value.DefaultTimeZone;

        var jobs = new List<JobInfo>();
        var changes = new List<RateChangeInfo>();
        do
        {
            if (reader.IsDBNull(9))
            {
                continue;
            }

            var jobId = reader.GetInt64(9);
            if (jobs.Count == 0 || jobs[^1].Id != jobId)
            {
                jobs.Add(new JobInfo(jobId, reader.GetInt64(10), reader.GetInt64(11),
                    reader.IsDBNull(12) ? null : reader.GetString(12), reader.IsDBNull(13) ? null : reader.GetDecimal(13)));
            }

            if (!reader.IsDBNull(14))
            {
                changes.Add(new RateChangeInfo(reader.GetInt64(14), jobId, reader.GetFieldValue<DateOnly>(15), reader.GetDecimal(16)));
            }
        }
        while (await reader.ReadAsync(cancellationToken));

        var today = subject.FixedToday ?? CleaningRules.Today(clock, zone);
        return new PayProfile(subject, options, own, zone, jobs, changes, today, hasConnection, terms);
    }

    private static PayOptions StudentOptions(NpgsqlDataReader reader, PayOptions options) =>
        reader.IsDBNull(17)
            ? options
            : options with
            {
                OvertimeRule = DbNames.Parse<OvertimeRule>(reader.GetString(17)),
                BreakCapHours = reader.GetDecimal(18),
                FicaStudentExempt = reader.GetBoolean(19),
                WithholdingPercent = reader.GetDecimal(20),
            };

    private static TermCalendar Terms(NpgsqlDataReader reader)
    {
        if (reader.IsDBNull(21))
        {
            return TermCalendar.None;
        }

        var names = reader.GetFieldValue<string[]>(21);
        var firsts = reader.GetFieldValue<DateOnly[]>(22);
        var lasts = reader.GetFieldValue<DateOnly[]>(23);
        return new TermCalendar(names.Select((name, i) => new Term(name, firsts[i], lasts[i])));
    }
}
