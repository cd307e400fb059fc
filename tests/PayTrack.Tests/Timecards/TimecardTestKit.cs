using System.Globalization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using PayTrack.Tests.Infrastructure;
using PayTrack.Web.Components.Account;
using PayTrack.Web.Data;
using PayTrack.Web.Kronos;
using PayTrack.Web.Timecards;

namespace PayTrack.Tests.Timecards;

/// <summary>Builders of wire records and helpers that read the timecard tables as they are.</summary>
internal static class TimecardTestKit
{
    public const string Password = "Timecard-test1!";

    public static readonly EmployeeList TwoJobs = new()
    {
        List =
        [
            new EmployeeJob { FirstName = "Ana", EmployeeId = 10234, BadgeNum = 40123, DepartmentDesc = "Library Circulation", PayRuleId = 7, BaseWageRate = 14.20m, HireDate = Utc("2022-08-29T00:00:00Z") },
            new EmployeeJob { FirstName = "Ana", EmployeeId = 20417, DepartmentDesc = "Dining Services, North", PayRuleId = 3, BaseWageRate = 15.00m },
        ],
    };

    public static DateTimeOffset Utc(string iso) => DateTimeOffset.Parse(iso, CultureInfo.InvariantCulture).ToUniversalTime();

    public static WirePunch Punch(string? id, string inAt, string? outAt, string? updatedOn = null, string? zone = "America/New_York", bool? edited = null, string? endReason = null) => new()
    {
        Id = id,
        InDateTime = Utc(inAt),
        OutDateTime = outAt is null ? null : Utc(outAt),
        EndReason = endReason ?? (outAt is null ? "missedOut" : "normal"),
        TimeZone = zone,
        Edited = edited,
        UpdatedOn = updatedOn is null ? null : Utc(updatedOn),
    };

    /// <summary>One pay period holding the punches, each filed under its UTC date as the site writes days.</summary>
    public static TimecardPeriod Period(string start, string end, params WirePunch[] punches) => new()
    {
        PeriodStart = DateOnly.Parse(start, CultureInfo.InvariantCulture),
        PeriodEnd = DateOnly.Parse(end, CultureInfo.InvariantCulture),
        Days = punches.GroupBy(p => p.InDateTime.UtcDateTime.Date).Select(g => new TimecardDay { Day = new DateTimeOffset(g.Key, TimeSpan.Zero), Punches = g.ToList() }).ToList(),
    };

    public static IReadOnlyList<JobTimecard> Library(params TimecardPeriod[] periods) => [Timecard(10234, 7, periods)];

    public static JobTimecard Timecard(long employeeId, long payRuleId, IReadOnlyList<TimecardPeriod> periods) =>
        new() { EmployeeId = employeeId, PayRuleId = payRuleId, Periods = periods };

    public static async Task<string> CreateUserAsync(this PayTrackAppFactory app, string email)
    {
        using var scope = app.Services.CreateScope();
        var result = await scope.ServiceProvider.GetRequiredService<UserAdministration>().CreateAsync(email, Password, admin: false);
        Assert.True(result.Succeeded, result.Message);
        var user = await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByEmailAsync(email);
        return user!.Id;
    }

    public static async Task<IngestResult> IngestAsync(this PayTrackAppFactory app, string userId, IReadOnlyList<JobTimecard> timecards, EmployeeList? jobs = null)
    {
        using var scope = app.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<TimecardIngest>()
            .IngestAsync(userId, jobs ?? TwoJobs, timecards, IngestSource.Kronos, "America/New_York", CancellationToken.None);
    }

    public static T Service<T>(this PayTrackAppFactory app)
        where T : notnull => app.Services.CreateScope().ServiceProvider.GetRequiredService<T>();

    /// <summary>
    /// Every row of the timecard tables, with its row version (xmin): equal snapshots mean nothing was written,
    /// not even an identical value. Batches and their ranges are left out: each ingest records itself.
    /// </summary>
    public static async Task<List<string>> SnapshotAsync(string connectionString)
    {
        var rows = new List<string>();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        foreach (var table in new[] { "jobs", "kronos_connections", "raw_punches", "raw_punch_versions", "shifts" })
        {
            await using var command = new NpgsqlCommand($"SELECT '{table} ' || row_to_json(t)::text FROM (SELECT xmin::text AS row_version, * FROM {table} ORDER BY id) t", connection);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                rows.Add(reader.GetString(0));
            }
        }

        return rows;
    }

    public static async Task<List<Shift>> ShiftsAsync(this PayTrackAppFactory app, string userId) =>
        (await app.Service<ShiftQueries>().ListAsync(userId, null, null, CancellationToken.None)).Select(r => r.Shift).ToList();

    public static async Task<long> CountAsync(string connectionString, string sql, string userId)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("user", userId);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
