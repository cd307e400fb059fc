using System.Globalization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using PayTrack.Tests.Infrastructure;
using PayTrack.Tests.Kronos;
using PayTrack.Web.Connections;
using PayTrack.Web.Components.Account;
using PayTrack.Web.Data;
using PayTrack.Web.Data.Configurations;
using PayTrack.Web.Sync;
using PayTrack.Web.Kronos;
using PayTrack.Web.Timecards;

namespace PayTrack.Tests.Sync;

/// <summary>
/// A Kronos simulator and a PayTrack node (in this process, scheduler and queue worker running) on a database of the
/// class's own. PayTrack's business clock follows the simulator's clock, running on in real time from the fixture's
/// start, so both agree on "today", the business clock moves as the jobs run, and moving the simulator's clock moves both.
/// </summary>
public class SyncFixture : IAsyncLifetime
{
    public SimulatorFixture Simulator { get; } = new();

    public PayTrackAppFactory App { get; private set; } = default!;

    public string ConnectionString => App.ConnectionString;

    public virtual async Task InitializeAsync()
    {
        await Simulator.InitializeAsync();
        App = new PayTrackAppFactory { Clock = TestClock.Following(Simulator.Clock) };
        foreach (var (key, value) in SyncTestKit.FastSettings)
        {
            App.WithSetting(key, value);
        }

        await App.InitializeAsync();
        _ = App.Services;
    }

    public virtual async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await Simulator.DisposeAsync();
    }
}

internal static class SyncTestKit
{
    public const string Password = "Jobs-test1!";

    /// <summary>Quick Kronos and Hangfire retries, and polls and invisibility of seconds, so recovery happens within a test.</summary>
    public static readonly IReadOnlyDictionary<string, string?> FastSettings = new Dictionary<string, string?>(TestKronos.FastSettings, StringComparer.Ordinal)
    {
        ["PayTrack:Jobs:InvisibilityTimeout"] = "00:00:05",
        ["PayTrack:Jobs:QueuePollInterval"] = "00:00:00.500",
        ["PayTrack:Jobs:SchedulePollingInterval"] = "00:00:01",
        ["PayTrack:Jobs:WorkerCount"] = "4",
        ["PayTrack:Jobs:Retries"] = "2",
        ["PayTrack:Jobs:RetryDelaysSeconds:0"] = "1",
        // The nightly run stays out of the way: midnight on February 30th never comes.
        ["PayTrack:Jobs:UpdatePunchesCron"] = "0 0 30 2 *",
    };

    /// <summary>The same settings as environment variables, for PayTrack processes.</summary>
    public static Dictionary<string, string?> Environment(string connectionString, IEnumerable<KeyValuePair<string, string?>>? more = null)
    {
        var environment = FastSettings.ToDictionary(p => p.Key.Replace(":", "__", StringComparison.Ordinal), p => p.Value, StringComparer.Ordinal);
        environment["ConnectionStrings__PayTrack"] = connectionString;
        foreach (var (key, value) in more ?? [])
        {
            environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        return environment;
    }

    public static T Service<T>(this PayTrackAppFactory app)
        where T : notnull => app.Services.CreateScope().ServiceProvider.GetRequiredService<T>();

    public static async Task<string> CreateUserAsync(this PayTrackAppFactory app, string email, bool admin = false)
    {
        using var scope = app.Services.CreateScope();
        var result = await scope.ServiceProvider.GetRequiredService<UserAdministration>().CreateAsync(email, Password, admin);
        Assert.True(result.Succeeded, result.Message);
        return (await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByEmailAsync(email))!.Id;
    }

    /// <summary>A user with a saved connection to the simulator (numbered accounts' password is their name, the demo's "demo").</summary>
    public static async Task<string> ConnectedUserAsync(this SyncFixture fixture, string email, string kronosUser, string? password = null)
    {
        var userId = await fixture.App.CreateUserAsync(email);
        await fixture.App.ConnectAsync(userId, fixture.Simulator.Connection(kronosUser, password));
        return userId;
    }

    /// <summary>A client signed in as a user the test created, through the real sign-in page.</summary>
    public static Task<HttpClient> SignedInAsync(this SyncFixture fixture, string email) => fixture.App.Browser().SignInAsync(email, Password);

    public static async Task ConnectAsync(this PayTrackAppFactory app, string userId, KronosConnectionSettings kronos)
    {
        var problem = await app.Service<KronosConnections>().SaveAsync(userId, new KronosConnectionInput(kronos.BaseUrl, kronos.Username, kronos.Password, "America/New_York"), CancellationToken.None);
        Assert.Equal(Outcome.Ok(), problem);
    }

    /// <summary>Polls the run until it has finished (or the deadline passes) and returns it.</summary>
    public static async Task<SyncRun> WaitForRunAsync(string connectionString, long runId, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            var run = await RunAsync(connectionString, runId);
            if (run is { Status: SyncStatus.Succeeded or SyncStatus.Failed or SyncStatus.Skipped or SyncStatus.Rejected })
            {
                return run;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Run {runId} did not finish in time; it is {run?.Status} at {run?.StepsDone}/{run?.StepsTotal}: {run?.Error}");
            await Task.Delay(100);
        }
    }

    /// <summary>
    /// For a run against an account whose site keeps failing: the words its first attempt left when it gave the run
    /// back to wait for a retry, and the run once it ended, with the connection's status. Every Hangfire retry (two in
    /// these tests) must be used: the run fails after three attempts, saying why.
    /// </summary>
    public static async Task AssertRetriedThenFailedAsync(string connectionString, long runId, string userId)
    {
        var waiting = await PollAsync<string>(connectionString,
            "SELECT coalesce(error, '') FROM job_runs WHERE id = @id AND status = 'queued' AND attempts = 1 UNION ALL SELECT '' LIMIT 1",
            e => e.Length > 0, "the first attempt to give the run back", parameters: ("id", runId));
        var run = await WaitForRunAsync(connectionString, runId, TimeSpan.FromSeconds(90));

        Assert.StartsWith("Waiting to try again: Kronos is not answering properly right now (HTTP 5", waiting, StringComparison.Ordinal);
        Assert.Equal((SyncStatus.Failed, 3), (run.Status, run.Attempts));
        Assert.StartsWith("Kronos is not answering properly right now (HTTP 5", run.Error, StringComparison.Ordinal);
        Assert.Equal("failing", await ScalarAsync<string>(connectionString, "SELECT status FROM kronos_connections WHERE user_id = @u", ("u", userId)));
    }

    /// <summary>Polls until <paramref name="condition"/> holds for the database, or fails with <paramref name="what"/>.</summary>
    public static async Task<T> PollAsync<T>(string connectionString, string sql, Func<T, bool> condition, string what, TimeSpan? within = null, params (string Name, object Value)[] parameters)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            var value = await ScalarAsync<T>(connectionString, sql, parameters);
            if (condition(value))
            {
                return value;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for {what}; last value {value}.");
            await Task.Delay(100);
        }
    }

    public static async Task<T> ScalarAsync<T>(string connectionString, string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return (T)(await command.ExecuteScalarAsync())!;
    }

    public static async Task<SyncRun?> RunAsync(string connectionString, long runId)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT kind, user_id, status, attempts, steps_done, steps_total, fetched, new_count, changed_count, unchanged_count, error,
                   failed_count, trigger, sweep_id
            FROM job_runs WHERE id = @id
            """, connection);
        command.Parameters.AddWithValue("id", runId);
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync())
        {
            return null;
        }

        return new SyncRun
        {
            Id = runId,
            Kind = DbNames.Parse<SyncKind>(reader.GetString(0)),
            UserId = reader.IsDBNull(1) ? null : reader.GetString(1),
            Status = DbNames.Parse<SyncStatus>(reader.GetString(2)),
            Attempts = reader.GetInt32(3),
            StepsDone = reader.GetInt32(4),
            StepsTotal = reader.GetInt32(5),
            Fetched = reader.GetInt32(6),
            NewCount = reader.GetInt32(7),
            ChangedCount = reader.GetInt32(8),
            UnchangedCount = reader.GetInt32(9),
            Error = reader.IsDBNull(10) ? null : reader.GetString(10),
            FailedCount = reader.GetInt32(11),
            Trigger = DbNames.Parse<SyncTrigger>(reader.GetString(12)),
            SweepId = reader.IsDBNull(13) ? null : reader.GetInt64(13),
        };
    }

    /// <summary>The user's runs of one kind (update-punches: the user's own, not sweeps), newest first.</summary>
    public static async Task<List<SyncRun>> RunsOfAsync(string connectionString, string userId, SyncKind kind)
    {
        var ids = new List<long>();
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT id FROM job_runs WHERE user_id = @user AND kind = @kind ORDER BY id DESC", connection);
            command.Parameters.AddWithValue("user", userId);
            command.Parameters.AddWithValue("kind", DbNames.Of(kind));
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                ids.Add(reader.GetInt64(0));
            }
        }

        var runs = new List<SyncRun>();
        foreach (var id in ids)
        {
            runs.Add((await RunAsync(connectionString, id))!);
        }

        return runs;
    }

    /// <summary>Runs "Run update-punches now" and waits for the sweep it starts to finish.</summary>
    public static async Task<SyncRun> UpdatePunchesNowAsync(this SyncFixture fixture)
    {
        var before = await ScalarAsync<long>(fixture.ConnectionString, "SELECT coalesce(max(id), 0) FROM job_runs WHERE user_id IS NULL");
        fixture.App.Service<SyncRequests>().RunUpdatePunchesNow(SyncTrigger.Admin, null);
        var sweep = await PollAsync<long>(fixture.ConnectionString, "SELECT coalesce(max(id), 0) FROM job_runs WHERE user_id IS NULL", id => id > before, "the sweep to start");
        return await WaitForRunAsync(fixture.ConnectionString, sweep);
    }

    /// <summary>Hangfire jobs in the Scheduled state whose method is <paramref name="method"/> (e.g. "CatchupJob").</summary>
    public static Task<long> PollScheduledAsync(string connectionString, string method, string what) =>
        PollAsync<long>(connectionString,
            "SELECT count(*) FROM hangfire.job WHERE statename = 'Scheduled' AND invocationdata::text LIKE '%' || @m || '%'",
            count => count > 0, what, parameters: ("m", method));

    /// <summary>
    /// A day in the middle of the account's history (the median day with punches): a fault on it falls on a chunk with
    /// chunks before and after it.
    /// </summary>
    public static DateOnly MiddleDay(BackupFile truth)
    {
        var days = truth.Timecards.SelectMany(t => t.Periods.SelectMany(p => p.Days))
            .Where(d => d.Punches.Count > 0).Select(d => DateOnly.FromDateTime(d.Day!.Value.UtcDateTime)).Distinct().Order().ToList();
        return days[days.Count / 2];
    }

    /// <summary>The site's punches of these chunks (each chunk is one job's dates), as <see cref="TruthPunches"/> lines.</summary>
    public static async Task<List<string>> TruthOfChunksAsync(SimulatorFixture simulator, string account, IEnumerable<ChunkState> chunks)
    {
        var lines = new List<string>();
        foreach (var chunk in chunks)
        {
            var job = string.Create(CultureInfo.InvariantCulture, $"{chunk.EmployeeId}/{chunk.PayRuleId} ");
            lines.AddRange(TruthPunches(await simulator.TruthAsync(account, chunk.Start, chunk.End)).Where(l => l.StartsWith(job, StringComparison.Ordinal)));
        }

        return [.. lines.Order(StringComparer.Ordinal)];
    }

    /// <summary>The user's stored punches (current versions), one line each, sorted: equal lists mean equal punches.</summary>
    public static async Task<List<string>> StoredPunchesAsync(string connectionString, string userId)
    {
        var punches = new List<string>();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT j.employee_id, j.pay_rule_id, p.site_id, p.in_at, p.out_at, p.end_reason, p.in_rounded, p.out_rounded, p.edited, p.updated_on
            FROM raw_punches p JOIN jobs j ON j.id = p.job_id WHERE p.user_id = @user
            """, connection);
        command.Parameters.AddWithValue("user", userId);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            punches.Add(Line(reader.GetInt64(0), reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.GetFieldValue<DateTimeOffset>(3), Nullable(reader, 4), reader.GetString(5), Nullable(reader, 6), Nullable(reader, 7),
                reader.IsDBNull(8) ? null : reader.GetBoolean(8), Nullable(reader, 9)));
        }

        punches.Sort(StringComparer.Ordinal);
        return punches;
    }

    /// <summary>The simulator's ground truth in the same lines.</summary>
    public static List<string> TruthPunches(BackupFile truth) =>
        truth.Timecards
            .SelectMany(t => t.Periods.SelectMany(p => p.Days).SelectMany(d => d.Punches).Select(p =>
                Line(t.EmployeeId, t.PayRuleId, p.Id, p.InDateTime, p.OutDateTime, p.EndReason, p.InRounded, p.OutRounded, p.Edited, p.UpdatedOn)))
            .Order(StringComparer.Ordinal)
            .ToList();

    /// <summary>The user's shifts without their ids and times of writing, sorted, for comparing two users' shifts.</summary>
    public static async Task<List<string>> ShiftLinesAsync(string connectionString, string userId)
    {
        var shifts = new List<string>();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT concat_ws('|', j.employee_id, j.pay_rule_id, s.local_date, s.start_at, s.end_at, s.time_zone, s.rounded_start_at,
                             s.rounded_end_at, s.worked_minutes, s.paid_minutes, s.status, s.note, s.edited, s.source)
            FROM shifts s JOIN jobs j ON j.id = s.job_id WHERE s.user_id = @user
            """, connection);
        command.Parameters.AddWithValue("user", userId);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            shifts.Add(reader.GetString(0));
        }

        shifts.Sort(StringComparer.Ordinal);
        return shifts;
    }

    /// <summary>The shifts PayTrack's own ingest makes of the truth, stored for a twin user in one batch.</summary>
    public static async Task<List<string>> TruthShiftsAsync(this SyncFixture fixture, BackupFile truth, string twinEmail)
    {
        var twin = await fixture.App.CreateUserAsync(twinEmail);
        var result = await fixture.App.Service<TimecardIngest>().IngestAsync(
            twin, truth.Employee, truth.Timecards, IngestSource.Kronos, "America/New_York", CancellationToken.None);
        Assert.True(result.Succeeded, result.Summary);
        return await ShiftLinesAsync(fixture.ConnectionString, twin);
    }

    private static DateTimeOffset? Nullable(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<DateTimeOffset>(ordinal);

    private static string Line(long employee, long rule, string? id, DateTimeOffset inAt, DateTimeOffset? outAt, string endReason,
        DateTimeOffset? inRounded, DateTimeOffset? outRounded, bool? edited, DateTimeOffset? updatedOn) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{employee}/{rule} {id} {inAt.UtcDateTime:O} {outAt?.UtcDateTime:O} {endReason} {inRounded?.UtcDateTime:O} {outRounded?.UtcDateTime:O} {edited} {updatedOn?.UtcDateTime:O}");
}
