using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using PayTrack.Web.Data;
using PayTrack.Web.Data.Configurations;

namespace PayTrack.Web.Pay;

/// <summary>A raise of one job, with the job's id for the settings page.</summary>
public sealed record RateChangeInfo(long Id, long JobId, DateOnly EffectiveFrom, decimal HourlyRate);

/// <summary>
/// The owner of a user's pay settings and raises (<c>user_pay_settings</c>, <c>pay_rate_changes</c>): it saves them,
/// and every read of them goes through it, a page's included (a page's statement joins <see cref="SettingsSql"/>, and its batch
/// carries <see cref="AddRatesRead"/>, so it still reads everything in one round trip; decision 0030). Every method checks that what it
/// touches is the user's own.
/// </summary>
public sealed class PaySettingsStore(IDbContextFactory<PayTrackDbContext> contexts, NpgsqlDataSource dataSource, IOptions<PayOptions> defaults, TimeProvider clock)
{
    /// <summary>
    /// The user's ($1) own settings: one row, or none when they saved none. A relation another statement may join
    /// (<see cref="SettingsColumns"/> columns; <see cref="ReadSettings(NpgsqlDataReader, int)"/> reads them).
    /// </summary>
    public const string SettingsSql = """
        SELECT period_kind, period_anchor, payday_offset_days, workweek_start, overtime_enabled, use_rounded_times,
               weekly_cap_hours, near_cap_margin_hours
        FROM user_pay_settings WHERE user_id = $1
        """;

    public const int SettingsColumns = 8;

    private const string RatesSql = "SELECT id, job_id, effective_from, hourly_rate FROM pay_rate_changes WHERE user_id = $1 ORDER BY job_id, effective_from";

    /// <summary>Adds the statement reading the user's raises to a batch; <see cref="ReadRatesAsync"/> reads its result.</summary>
    public static void AddRatesRead(NpgsqlBatch batch, string userId)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var command = new NpgsqlBatchCommand(RatesSql);
        command.Parameters.Add(new NpgsqlParameter { Value = userId });
        batch.BatchCommands.Add(command);
    }

    /// <summary>Reads the result of <see cref="AddRatesRead"/>; the reader is then at its end.</summary>
    public static async Task<IReadOnlyList<RateChangeInfo>> ReadRatesAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var changes = new List<RateChangeInfo>();
        while (await reader.ReadAsync(cancellationToken))
        {
            changes.Add(new RateChangeInfo(reader.GetInt64(0), reader.GetInt64(1), reader.GetFieldValue<DateOnly>(2), reader.GetDecimal(3)));
        }

        return changes;
    }

    /// <summary>
    /// The settings of <see cref="SettingsSql"/> in the current row, from its column <paramref name="first"/> on; null
    /// when the row has none (the user saved none, and a join found nothing).
    /// </summary>
    public static PayOptions? ReadSettings(NpgsqlDataReader reader, int first)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return reader.IsDBNull(first) ? null : new PayOptions
        {
            PeriodKind = DbNames.Parse<PayPeriodKind>(reader.GetString(first)),
            PeriodAnchor = reader.GetFieldValue<DateOnly>(first + 1),
            PaydayOffsetDays = reader.GetInt32(first + 2),
            WorkweekStart = DbNames.Parse<DayOfWeek>(reader.GetString(first + 3)),
            OvertimeEnabled = reader.GetBoolean(first + 4),
            UseRoundedTimes = reader.GetBoolean(first + 5),
            WeeklyCapHours = reader.GetDecimal(first + 6),
            NearCapMarginHours = reader.GetDecimal(first + 7),
        };
    }

    /// <summary>The user's pay settings, their own or this PayTrack's defaults: for work outside a page (the daily update's window).</summary>
    public async Task<PayOptions> OptionsAsync(string userId, CancellationToken cancellationToken)
    {
        // The settings alone: the raises are of no use here, and this runs once for every user of the daily update.
        await using var command = dataSource.CreateCommand(SettingsSql);
        command.Parameters.Add(new NpgsqlParameter { Value = userId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadSettings(reader, 0)! : defaults.Value;
    }

    /// <summary>Saves the settings, or says what is wrong with them (nothing is saved then).</summary>
    public async Task<Outcome> SaveAsync(string userId, PayOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            return Outcome.Invalid(string.Join(" ", errors));
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var settings = await db.UserPaySettings.FirstOrDefaultAsync(s => s.UserId == userId, cancellationToken);
        if (settings is null)
        {
            settings = new UserPaySettings { UserId = userId };
            db.UserPaySettings.Add(settings);
        }

        Copy(options, settings);
        settings.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        return Outcome.Ok();
    }

    /// <summary>Back to the defaults of this PayTrack.</summary>
    public async Task ResetAsync(string userId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.UserPaySettings.Where(s => s.UserId == userId).ExecuteDeleteAsync(cancellationToken);
    }

    /// <summary>Adds a raise of one of the user's jobs.</summary>
    public async Task<Outcome> AddRateAsync(string userId, long jobId, DateOnly effectiveFrom, decimal hourlyRate, CancellationToken cancellationToken)
    {
        if (hourlyRate is < 0m or > 10_000m)
        {
            return Outcome.Invalid("The hourly rate must be between 0 and 10,000 dollars.");
        }

        if (effectiveFrom.Year is < 1900 or > 9000)
        {
            return Outcome.Invalid("The date the rate applies from must be between the years 1900 and 9000.");
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (!await db.Jobs.AnyAsync(j => j.Id == jobId && j.UserId == userId, cancellationToken))
        {
            return Outcome.NotFound("That job is not one of yours.");
        }

        if (await db.PayRateChanges.AnyAsync(r => r.UserId == userId && r.JobId == jobId && r.EffectiveFrom == effectiveFrom, cancellationToken))
        {
            return Outcome.Refused(string.Create(CultureInfo.InvariantCulture, $"That job already has a rate from {effectiveFrom:yyyy-MM-dd}; remove it first."));
        }

        db.PayRateChanges.Add(new PayRateChange
        {
            UserId = userId,
            JobId = jobId,
            EffectiveFrom = effectiveFrom,
            HourlyRate = hourlyRate,
            CreatedAt = clock.GetUtcNow(),
        });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Two saves of the same date at once: the unique key kept one.
            return Outcome.Refused(string.Create(CultureInfo.InvariantCulture, $"That job already has a rate from {effectiveFrom:yyyy-MM-dd}; remove it first."));
        }

        return Outcome.Ok();
    }

    public async Task<Outcome> RemoveRateAsync(string userId, long rateId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.PayRateChanges.Where(r => r.Id == rateId && r.UserId == userId).ExecuteDeleteAsync(cancellationToken) > 0
            ? Outcome.Ok()
            : Outcome.NotFound("There is no such rate of yours.");
    }

    private static void Copy(PayOptions options, UserPaySettings settings)
    {
        settings.PeriodKind = options.PeriodKind;
        settings.PeriodAnchor = options.PeriodAnchor;
        settings.PaydayOffsetDays = options.PaydayOffsetDays;
        settings.WorkweekStart = options.WorkweekStart;
        settings.OvertimeEnabled = options.OvertimeEnabled;
        settings.UseRoundedTimes = options.UseRoundedTimes;
        settings.WeeklyCapHours = options.WeeklyCapHours;
        settings.NearCapMarginHours = options.NearCapMarginHours;
    }
}
