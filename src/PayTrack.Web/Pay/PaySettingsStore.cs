using System.Globalization;
using Microsoft.EntityFrameworkCore;
using PayTrack.Web.Data;

namespace PayTrack.Web.Pay;

/// <summary>Saves a user's pay settings and raises; every method checks that what it touches is the user's own.</summary>
public sealed class PaySettingsStore(IDbContextFactory<PayTrackDbContext> contexts, TimeProvider clock)
{
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
