using Microsoft.EntityFrameworkCore;
using PayTrack.Web.Data;

namespace PayTrack.Web.Timecards;

/// <summary>A shift with the job it belongs to, as exports and lists show it.</summary>
public sealed record ShiftRow(Shift Shift, long EmployeeId, long PayRuleId, string? Department);

/// <summary>A punch's story: its current version, the versions it replaced, and when the site reported it.</summary>
public sealed record PunchHistory(RawPunch Current, IReadOnlyList<RawPunchVersion> EarlierVersions, DateTimeOffset FirstSeenAt, DateTimeOffset? LastSeenAt);

public sealed record TimecardSummary(int Shifts, int Jobs, int ManualShifts, DateOnly? FirstDate, DateOnly? LastDate);

public sealed record BatchReport(IngestBatch Batch, IReadOnlyList<IngestProblem> Problems);

/// <summary>The timecard reads the settings page, exports and tests need; every query is filtered by the user.</summary>
public sealed class ShiftQueries(IDbContextFactory<PayTrackDbContext> contexts)
{
    /// <summary>A user's shifts with a local date in [from, to] (either end open), by date and start.</summary>
    public async Task<IReadOnlyList<ShiftRow>> ListAsync(string userId, DateOnly? from, DateOnly? to, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var shifts = db.Shifts.AsNoTracking().Where(s => s.UserId == userId);
        if (from is { } f)
        {
            shifts = shifts.Where(s => s.LocalDate >= f);
        }

        if (to is { } t)
        {
            shifts = shifts.Where(s => s.LocalDate <= t);
        }

        var rows = await shifts
            .Join(db.Jobs.Where(j => j.UserId == userId), s => s.JobId, j => j.Id, (s, j) => new { Shift = s, j.EmployeeId, j.PayRuleId, j.Department })
            .OrderBy(r => r.Shift.LocalDate).ThenBy(r => r.Shift.StartAt).ThenBy(r => r.EmployeeId).ThenBy(r => r.PayRuleId).ThenBy(r => r.Shift.Id)
            .ToListAsync(cancellationToken);
        return rows.Select(r => new ShiftRow(r.Shift, r.EmployeeId, r.PayRuleId, r.Department)).ToList();
    }

    /// <summary>Where a shift's punch came from and how it changed; null for a manual shift or a shift of another user.</summary>
    public async Task<PunchHistory?> HistoryAsync(string userId, long shiftId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var shift = await db.Shifts.AsNoTracking().FirstOrDefaultAsync(s => s.Id == shiftId && s.UserId == userId, cancellationToken);
        if (shift?.RawPunchId is not { } punchId)
        {
            return null;
        }

        var punch = await db.RawPunches.AsNoTracking().FirstAsync(p => p.Id == punchId && p.UserId == userId, cancellationToken);
        var versions = await db.RawPunchVersions.AsNoTracking()
            .Where(v => v.UserId == userId && v.RawPunchId == punchId)
            .OrderBy(v => v.Version)
            .ToListAsync(cancellationToken);
        var lastSeen = await db.IngestRanges.AsNoTracking()
            .Where(r => r.UserId == userId && r.JobId == punch.JobId && r.FromDate <= shift.LocalDate && r.ToDate >= shift.LocalDate)
            .Join(db.IngestBatches.Where(b => b.UserId == userId && b.Status == IngestBatchStatus.Succeeded), r => r.BatchId, b => b.Id, (_, b) => b.FinishedAt)
            .MaxAsync(finished => finished, cancellationToken);
        return new PunchHistory(punch, versions, punch.FirstSeenAt, lastSeen);
    }

    public async Task<TimecardSummary> SummaryAsync(string userId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var shifts = db.Shifts.AsNoTracking().Where(s => s.UserId == userId);
        var count = await shifts.CountAsync(cancellationToken);
        var manual = await shifts.CountAsync(s => s.Source == ShiftSource.Manual, cancellationToken);
        var jobs = await db.Jobs.CountAsync(j => j.UserId == userId, cancellationToken);
        DateOnly? first = count == 0 ? null : await shifts.MinAsync(s => s.LocalDate, cancellationToken);
        DateOnly? last = count == 0 ? null : await shifts.MaxAsync(s => s.LocalDate, cancellationToken);
        return new TimecardSummary(count, jobs, manual, first, last);
    }

    /// <summary>A batch of this user with its first problems; null when there is none.</summary>
    public async Task<BatchReport?> BatchAsync(string userId, long batchId, int maxProblems, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var batch = await db.IngestBatches.AsNoTracking().FirstOrDefaultAsync(b => b.Id == batchId && b.UserId == userId, cancellationToken);
        if (batch is null)
        {
            return null;
        }

        var problems = await db.IngestProblems.AsNoTracking()
            .Where(p => p.UserId == userId && p.BatchId == batchId)
            .OrderBy(p => p.Id)
            .Take(maxProblems)
            .ToListAsync(cancellationToken);
        return new BatchReport(batch, problems);
    }
}
