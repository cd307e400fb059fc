using System.Globalization;
using Microsoft.Extensions.Options;
using Npgsql;
using PayTrack.Web.Connections;
using PayTrack.Web.Data;
using PayTrack.Web.Pay;
using PayTrack.Web.Timecards;

namespace PayTrack.Web.Dashboard;

/// <summary>One of the user's jobs as the pages name it.</summary>
public sealed record JobInfo(long Id, long EmployeeId, long PayRuleId, string? Department, decimal? BaseWage)
{
    public string Key => JobKeys.Of(EmployeeId, PayRuleId);

    public string Label => JobKeys.Label(EmployeeId, PayRuleId, Department);
}

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

/// <summary>
/// Loads a <see cref="PayProfile"/> in one round trip of two statements: one reads the user's settings, jobs and
/// their Kronos connection's zone, joining the relations the tables' owners publish (<see cref="PaySettingsStore.SettingsSql"/>,
/// <see cref="StudentPayStore.SettingsAndTermsSql"/>, <see cref="TimecardReads.JobsSql"/>,
/// <see cref="KronosConnections.ZonesSql"/>; decision 0030), the other the raises (<see cref="PaySettingsStore.AddRatesRead"/>).
/// Every page reads it, the overview in its own round trip; each statement less is PostgreSQL's executor started once
/// less on every page.
/// </summary>
public sealed class PayProfiles(NpgsqlDataSource dataSource, TimeProvider clock, IOptions<PayOptions> defaults, IOptions<TimecardOptions> timecards)
{
    /// <summary>
    /// The user's own pay settings and student-pay settings and terms (one row even when there are none), the
    /// connection's zone, and each of the user's jobs, the settings repeated on each job's row: one statement joining
    /// the relations the tables' owners publish (decision 0030). The raises, a list of their own, are a second statement.
    /// </summary>
    private const string Sql = $"""
        SELECT k.time_zone, j.id, j.employee_id, j.pay_rule_id, j.department, j.base_wage_rate, ps.*, st.*
        FROM (SELECT $1::text AS user_id) u
        CROSS JOIN ({StudentPayStore.SettingsAndTermsSql}) st
        LEFT JOIN ({PaySettingsStore.SettingsSql}) ps ON true
        LEFT JOIN ({KronosConnections.ZonesSql}) k ON k.user_id = u.user_id
        LEFT JOIN ({TimecardReads.JobsSql}) j ON j.user_id = u.user_id
        ORDER BY j.employee_id, j.pay_rule_id
        """;

    private const int PaySettingsColumn = 6;
    private const int StudentPayColumn = PaySettingsColumn + PaySettingsStore.SettingsColumns;

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

    /// <summary>The profile's statements, for a page that reads its own rows in the same round trip.</summary>
    public static void AddStatements(NpgsqlBatch batch, string userId)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var command = new NpgsqlBatchCommand(Sql);
        command.Parameters.Add(new NpgsqlParameter { Value = userId });
        batch.BatchCommands.Add(command);
        PaySettingsStore.AddRatesRead(batch, userId);
    }

    /// <summary>Reads the results of <see cref="AddStatements"/>; the reader is then at the end of the last of them.</summary>
    public async Task<PayProfile> ReadAsync(NpgsqlDataReader reader, DashboardSubject subject, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(subject);
        await reader.ReadAsync(cancellationToken);
        var own = PaySettingsStore.ReadSettings(reader, PaySettingsColumn);
        var (options, terms) = StudentPayStore.ReadSettingsAndTerms(reader, StudentPayColumn, own ?? defaults.Value);
        var hasConnection = !reader.IsDBNull(0);
        var zone = hasConnection ? reader.GetString(0) : timecards.Value.DefaultTimeZone;
        var jobs = new List<JobInfo>();
        do
        {
            if (!reader.IsDBNull(1))
            {
                jobs.Add(new JobInfo(reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3),
                    reader.IsDBNull(4) ? null : reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetDecimal(5)));
            }
        }
        while (await reader.ReadAsync(cancellationToken));

        await reader.NextResultAsync(cancellationToken);
        var rateChanges = await PaySettingsStore.ReadRatesAsync(reader, cancellationToken);
        var today = subject.FixedToday ?? CleaningRules.Today(clock, zone);
        return new PayProfile(subject, options, own is not null, zone, jobs, rateChanges, today, hasConnection, terms);
    }
}
