using System.Globalization;
using Microsoft.EntityFrameworkCore;
using PayTrack.Web.Data;

namespace PayTrack.Web.Pay;

/// <summary>Saves a user's pay settings and raises; every method checks that what it touches is the user's own.</summary>
public sealed class PaySettingsStore(IDbContextFactory<PayTrackDbContext> contexts, TimeProvider clock)
{
    /// <summary>Saves the settings, or returns what is wrong with them (nothing is saved then).</summary>
    public async Task<IReadOnlyList<string>> SaveAsync(string userId, PayOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            return errors;
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
        return [];
    }

    /// <summary>Back to the defaults of this PayTrack.</summary>
    public async Task ResetAsync(string userId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.UserPaySettings.Where(s => s.UserId == userId).ExecuteDeleteAsync(cancellationToken);
    }

    /// <summary>Adds a raise of one of the user's jobs; returns an error sentence, or null when it was saved.</summary>
    public async Task<string?> AddRateAsync(string userId, long jobId, DateOnly effectiveFrom, decimal hourlyRate, CancellationToken cancellationToken)
    {
        if (hourlyRate is < 0m or > 10_000m)
        {
            return "The hourly rate must be between 0 and 10,000 dollars.";
        }

        if (effectiveFrom.Year is < 1900 or > 9000)
        {
            return "The date the rate applies from must be between the years 1900 and 9000.";
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (!await db.Jobs.AnyAsync(j => j.Id == jobId && j.UserId == userId, cancellationToken))
        {
            return "That job is not one of yours.";
        }

        if (await db.PayRateChanges.AnyAsync(r => r.UserId == userId && r.JobId == jobId && r.EffectiveFrom == effectiveFrom, cancellationToken))
        {
            return string.Create(CultureInfo.InvariantCulture, $"That job already has a rate from {effectiveFrom:yyyy-MM-dd}; remove it first.");
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
            return string.Create(CultureInfo.InvariantCulture, $"That job already has a rate from {effectiveFrom:yyyy-MM-dd}; remove it first.");
        }

        return null;
    }

    public async Task<bool> RemoveRateAsync(string userId, long rateId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.PayRateChanges.Where(r => r.Id == rateId && r.UserId == userId).ExecuteDeleteAsync(cancellationToken) > 0;
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
