using System.Diagnostics;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using PayTrack.Web.Data;

namespace PayTrack.Bench.Dashboard;

/// <summary>
/// Fills a fresh database with users and years of shifts by binary COPY, not through the web app: every user has one or
/// two campus jobs and works like a student (weekday shifts of 2 to 5 hours in term, fewer in summer, none over the
/// winter break), with the employer's rounding, a few missed out-punches and anomalies. Deterministic for a seed.
/// </summary>
internal static class Generator
{
    public const string Zone = "America/New_York";
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById(Zone);

    public sealed record Options(string ConnectionString, int Users, int Years, int HeavyYears, string HeavyEmail, string Password, DateOnly Today);

    public static async Task<TimeSpan> RunAsync(Options options)
    {
        var clock = Stopwatch.StartNew();
        var db = new DbContextOptionsBuilder<PayTrackDbContext>().UseNpgsql(options.ConnectionString).Options;
        await using (var context = new PayTrackDbContext(db))
        {
            await context.Database.MigrateAsync();
        }

        await using var dataSource = NpgsqlDataSource.Create(options.ConnectionString);
        var hash = new PasswordHasher<AppUser>().HashPassword(new AppUser(), options.Password);
        await CopyUsersAndJobsAsync(dataSource, options, hash);

        // Secondary indexes are built once after the load, which is several times faster than keeping them up to date.
        var indexes = await DropIndexesAsync(dataSource, "shifts");
        var half = options.Users / 2;
        long rows = 0;
        await Task.WhenAll(
            Task.Run(async () => Interlocked.Add(ref rows, await CopyShiftsAsync(dataSource, options, 0, half))),
            Task.Run(async () => Interlocked.Add(ref rows, await CopyShiftsAsync(dataSource, options, half, options.Users))));
        foreach (var index in indexes)
        {
            await ExecuteAsync(dataSource, index);
        }

        await ExecuteAsync(dataSource, "ANALYZE");
        Console.WriteLine($"generated_shifts={rows}");
        return clock.Elapsed;
    }

    public static string UserId(int index) => $"00000000-0000-4000-8000-{index:D12}";

    public static string Email(int index, Options options) => index == 0 ? options.HeavyEmail : Email(index);

    /// <summary>The address of generated user <paramref name="index"/> (not the heavy user, 0).</summary>
    public static string Email(int index) => $"bench-user-{index:D5}@paytrack.invalid";

    private static async Task CopyUsersAndJobsAsync(NpgsqlDataSource dataSource, Options options, string hash)
    {
        var now = DateTimeOffset.UtcNow;
        await using var connection = await dataSource.OpenConnectionAsync();
        await using (var users = await connection.BeginBinaryImportAsync(
            "COPY identity_users (id, created_at, user_name, normalized_user_name, email, normalized_email, email_confirmed, password_hash, security_stamp, concurrency_stamp, phone_number_confirmed, two_factor_enabled, lockout_enabled, access_failed_count) FROM STDIN (FORMAT BINARY)"))
        {
            for (var i = 0; i < options.Users; i++)
            {
                var email = Email(i, options);
                await users.StartRowAsync();
                await users.WriteAsync(UserId(i), NpgsqlDbType.Text);
                await users.WriteAsync(now, NpgsqlDbType.TimestampTz);
                await users.WriteAsync(email, NpgsqlDbType.Varchar);
                await users.WriteAsync(email.ToUpperInvariant(), NpgsqlDbType.Varchar);
                await users.WriteAsync(email, NpgsqlDbType.Varchar);
                await users.WriteAsync(email.ToUpperInvariant(), NpgsqlDbType.Varchar);
                await users.WriteAsync(true, NpgsqlDbType.Boolean);
                await users.WriteAsync(hash, NpgsqlDbType.Text);
                await users.WriteAsync(Guid.NewGuid().ToString("N").ToUpperInvariant(), NpgsqlDbType.Text);
                await users.WriteAsync(Guid.NewGuid().ToString(), NpgsqlDbType.Text);
                await users.WriteAsync(false, NpgsqlDbType.Boolean);
                await users.WriteAsync(false, NpgsqlDbType.Boolean);
                await users.WriteAsync(true, NpgsqlDbType.Boolean);
                await users.WriteAsync(0, NpgsqlDbType.Integer);
            }

            await users.CompleteAsync();
        }

        await using (var jobs = await connection.BeginBinaryImportAsync(
            "COPY jobs (id, user_id, employee_id, pay_rule_id, first_name, department, base_wage_rate, hire_date, created_at, updated_at) FROM STDIN (FORMAT BINARY)"))
        {
            for (var i = 0; i < options.Users; i++)
            {
                for (var k = 0; k < JobCount(i); k++)
                {
                    await jobs.StartRowAsync();
                    await jobs.WriteAsync(JobId(i, k), NpgsqlDbType.Bigint);
                    await jobs.WriteAsync(UserId(i), NpgsqlDbType.Text);
                    await jobs.WriteAsync(100_000L + i, NpgsqlDbType.Bigint);
                    await jobs.WriteAsync(k == 0 ? 7L : 3L, NpgsqlDbType.Bigint);
                    await jobs.WriteAsync("Student", NpgsqlDbType.Text);
                    await jobs.WriteAsync(k == 0 ? "Library Circulation" : "Campus Dining", NpgsqlDbType.Text);
                    await jobs.WriteAsync(k == 0 ? 14.20m + (i % 7) * 0.25m : 15.00m, NpgsqlDbType.Numeric);
                    await jobs.WriteAsync(options.Today.AddYears(-Years(i, options)), NpgsqlDbType.Date);
                    await jobs.WriteAsync(now, NpgsqlDbType.TimestampTz);
                    await jobs.WriteAsync(now, NpgsqlDbType.TimestampTz);
                }
            }

            await jobs.CompleteAsync();
        }

        await ExecuteAsync(dataSource, "SELECT setval(pg_get_serial_sequence('jobs', 'id'), (SELECT max(id) FROM jobs))");

        await CopyConnectionsAsync(connection, options.Users, now);
    }

    /// <summary>
    /// Every user synced from Kronos, as most are: the overview then also shows the sync panel. The password is a
    /// placeholder; nothing in the benchmark signs in to a Kronos site.
    /// </summary>
    private static async Task CopyConnectionsAsync(NpgsqlConnection connection, int users, DateTimeOffset now)
    {
        await using var connections = await connection.BeginBinaryImportAsync(
            "COPY kronos_connections (user_id, base_url, username, protected_password, time_zone, status, last_successful_sync_at, created_at, updated_at) FROM STDIN (FORMAT BINARY)");
        for (var i = 0; i < users; i++)
        {
            await connections.StartRowAsync();
            await connections.WriteAsync(UserId(i), NpgsqlDbType.Text);
            await connections.WriteAsync("https://timecard.bench.invalid/api", NpgsqlDbType.Text);
            await connections.WriteAsync($"student{i:D5}", NpgsqlDbType.Text);
            await connections.WriteAsync("placeholder", NpgsqlDbType.Text);
            await connections.WriteAsync(Zone, NpgsqlDbType.Text);
            await connections.WriteAsync("ok", NpgsqlDbType.Text);
            await connections.WriteAsync(now, NpgsqlDbType.TimestampTz);
            await connections.WriteAsync(now, NpgsqlDbType.TimestampTz);
            await connections.WriteAsync(now, NpgsqlDbType.TimestampTz);
        }

        await connections.CompleteAsync();
    }

    private static async Task<long> CopyShiftsAsync(NpgsqlDataSource dataSource, Options options, int from, int to)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var copy = await connection.BeginBinaryImportAsync(
            "COPY shifts (user_id, job_id, local_date, start_at, end_at, time_zone, rounded_start_at, rounded_end_at, worked_minutes, paid_minutes, status, note, edited, source, updated_at) FROM STDIN (FORMAT BINARY)");
        long rows = 0;
        var now = DateTimeOffset.UtcNow;
        for (var i = from; i < to; i++)
        {
            var random = new Random(i);
            var jobs = JobCount(i);
            var userId = UserId(i);
            for (var day = options.Today.AddYears(-Years(i, options)); day <= options.Today; day = day.AddDays(1))
            {
                var chance = WorkChance(day);
                if (chance == 0 || random.NextDouble() > chance)
                {
                    continue;
                }

                var shifts = random.NextDouble() < 0.12 ? 2 : 1;
                var startHour = 8 + random.Next(0, 6);
                for (var s = 0; s < shifts; s++)
                {
                    var job = jobs == 2 && (s == 1 || random.NextDouble() < 0.3) ? 1 : 0;
                    var start = new TimeOnly(startHour, random.Next(0, 4) * 15);
                    var quarters = random.Next(8, 21);
                    var roundedStart = LocalToUtc(day, start);
                    var roundedEnd = roundedStart.AddMinutes(quarters * 15);
                    var actualStart = roundedStart.AddMinutes(random.Next(-7, 8));
                    var actualEnd = roundedEnd.AddMinutes(random.Next(-7, 8));
                    var roll = random.NextDouble();
                    var missing = roll < 0.005;
                    var anomaly = !missing && roll < 0.007;
                    var worked = missing ? 0 : (int)Math.Round((actualEnd - actualStart).TotalMinutes);
                    var paid = missing ? 0 : quarters * 15;
                    await WriteShiftAsync(copy, new GeneratedShift(userId, JobId(i, job), day, actualStart, missing ? null : actualEnd, roundedStart, missing ? null : roundedEnd, worked, paid,
                        missing ? "missing_out" : anomaly ? "anomaly" : "complete", random.NextDouble() < 0.01), now);
                    rows++;
                    startHour = Math.Min(17, startHour + quarters / 4 + 1);
                }
            }
        }

        await copy.CompleteAsync();
        return rows;
    }

    private sealed record GeneratedShift(string UserId, long JobId, DateOnly Day, DateTimeOffset Start, DateTimeOffset? End, DateTimeOffset RoundedStart,
        DateTimeOffset? RoundedEnd, int Worked, int Paid, string Status, bool Edited);

    private static async Task WriteShiftAsync(NpgsqlBinaryImporter copy, GeneratedShift row, DateTimeOffset now)
    {
        await copy.StartRowAsync();
        await copy.WriteAsync(row.UserId, NpgsqlDbType.Text);
        await copy.WriteAsync(row.JobId, NpgsqlDbType.Bigint);
        await copy.WriteAsync(row.Day, NpgsqlDbType.Date);
        await copy.WriteAsync(row.Start, NpgsqlDbType.TimestampTz);
        await WriteOrNullAsync(copy, row.End);
        await copy.WriteAsync(Zone, NpgsqlDbType.Text);
        await copy.WriteAsync(row.RoundedStart, NpgsqlDbType.TimestampTz);
        await WriteOrNullAsync(copy, row.RoundedEnd);
        await copy.WriteAsync(row.Worked, NpgsqlDbType.Integer);
        await copy.WriteAsync(row.Paid, NpgsqlDbType.Integer);
        await copy.WriteAsync(row.Status, NpgsqlDbType.Text);
        if (row.Status == "complete")
        {
            await copy.WriteNullAsync();
        }
        else
        {
            await copy.WriteAsync(row.Status == "missing_out" ? "Missed out-punch: counted as 0 hours until it is fixed." : "Overlaps another punch of this job.", NpgsqlDbType.Text);
        }

        await copy.WriteAsync(row.Edited, NpgsqlDbType.Boolean);
        await copy.WriteAsync("kronos", NpgsqlDbType.Text);
        await copy.WriteAsync(now, NpgsqlDbType.TimestampTz);
    }

    private static async Task WriteOrNullAsync(NpgsqlBinaryImporter copy, DateTimeOffset? value)
    {
        if (value is { } v)
        {
            await copy.WriteAsync(v, NpgsqlDbType.TimestampTz);
        }
        else
        {
            await copy.WriteNullAsync();
        }
    }

    /// <summary>A student's year: weekdays in term, a little in summer, nothing over the winter break.</summary>
    private static double WorkChance(DateOnly day)
    {
        if (day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
        {
            return day.DayOfWeek == DayOfWeek.Saturday ? 0.08 : 0.02;
        }

        return (day.Month, day.Day) switch
        {
            (12, > 18) or (1, < 10) => 0,
            (5, > 15) or (6, _) or (7, _) or (8, < 20) => 0.25,
            _ => 0.7,
        };
    }

    private static DateTimeOffset LocalToUtc(DateOnly day, TimeOnly time) =>
        new(TimeZoneInfo.ConvertTimeToUtc(day.ToDateTime(time, DateTimeKind.Unspecified), NewYork), TimeSpan.Zero);

    private static int JobCount(int user) => user % 3 == 0 ? 2 : 1;

    private static long JobId(int user, int job) => (user * 2L) + job + 1;

    private static int Years(int user, Options options) => user == 0 ? options.HeavyYears : options.Years;

    private static async Task<List<string>> DropIndexesAsync(NpgsqlDataSource dataSource, string table)
    {
        var definitions = new List<(string Name, string Definition)>();
        await using (var command = dataSource.CreateCommand(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = $1 AND indexname NOT LIKE 'pk_%'"))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = table });
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                definitions.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        foreach (var (name, _) in definitions)
        {
            await ExecuteAsync(dataSource, $"DROP INDEX {name}");
        }

        return definitions.Select(d => d.Definition).ToList();
    }

    private static async Task ExecuteAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync();
    }
}
