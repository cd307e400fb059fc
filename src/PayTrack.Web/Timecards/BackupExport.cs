using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PayTrack.Web.Data;
using PayTrack.Web.Kronos;

namespace PayTrack.Web.Timecards;

/// <summary>Writes a user's backup file: what <see cref="BackupImport"/> reads back.</summary>
public sealed class BackupExport(IDbContextFactory<PayTrackDbContext> contexts, IOptions<TimecardOptions> options)
{
    /// <summary>Writes a user's punches (current versions), manual shifts and entered out times as a backup file.</summary>
    public async Task ExportAsync(string userId, Stream output, DateOnly? from, DateOnly? to, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var jobs = await db.Jobs.AsNoTracking().Where(j => j.UserId == userId).OrderBy(j => j.EmployeeId).ThenBy(j => j.PayRuleId).ToListAsync(cancellationToken);
        var shifts = db.Shifts.AsNoTracking().Where(s => s.UserId == userId);
        if (from is { } f)
        {
            shifts = shifts.Where(s => s.LocalDate >= f);
        }

        if (to is { } t)
        {
            shifts = shifts.Where(s => s.LocalDate <= t);
        }

        var punches = await shifts.Where(s => s.RawPunchId != null)
            .Join(db.RawPunches.Where(p => p.UserId == userId), s => s.RawPunchId, p => p.Id, (s, p) => new { Punch = p, s.LocalDate })
            .ToListAsync(cancellationToken);
        var manual = await shifts.Where(s => s.Source == ShiftSource.Manual).OrderBy(s => s.StartAt).ThenBy(s => s.Id).ToListAsync(cancellationToken);
        var zone = await ConnectionZoneAsync(contexts, userId, cancellationToken) ?? options.Value.DefaultTimeZone;

        var byJob = punches.ToLookup(p => p.Punch.JobId);
        var timecards = new List<JobTimecard>();
        foreach (var job in jobs.Where(j => byJob.Contains(j.Id)))
        {
            var days = byJob[job.Id]
                .GroupBy(p => p.Punch.WireDay ?? p.LocalDate)
                .OrderBy(g => g.Key)
                .Select(g => new TimecardDay
                {
                    Day = new DateTimeOffset(g.Key.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero),
                    Punches = g.OrderBy(p => p.Punch.InAt).ThenBy(p => p.Punch.PunchKey, StringComparer.Ordinal).Select(p => ToWire(p.Punch)).ToList(),
                });
            // Pay periods are not stored; calendar months keep the file readable and each period small.
            var periods = days
                .GroupBy(d => new DateOnly(d.Day!.Value.Year, d.Day.Value.Month, 1))
                .Select(g => new TimecardPeriod { PeriodStart = g.Key, PeriodEnd = g.Key.AddMonths(1).AddDays(-1), Days = g.ToList() })
                .ToList();
            timecards.Add(new JobTimecard { EmployeeId = job.EmployeeId, PayRuleId = job.PayRuleId, Periods = periods });
        }

        var jobKeys = jobs.ToDictionary(j => j.Id);
        var exported = punches.Select(p => p.Punch).ToDictionary(p => p.Id);
        var entries = await db.OutTimeEntries.AsNoTracking().Where(e => e.UserId == userId).OrderBy(e => e.EnteredAt).ThenBy(e => e.Id).ToListAsync(cancellationToken);
        var document = new BackupDocument(
            new EmployeeList { List = jobs.Select(ToWire).ToList() },
            timecards,
            zone,
            manual.Select(m => new BackupManualShift
            {
                EmployeeId = jobKeys[m.JobId].EmployeeId,
                PayRuleId = jobKeys[m.JobId].PayRuleId,
                Start = m.StartAt,
                End = m.EndAt ?? m.StartAt,
                TimeZone = m.TimeZone,
                Note = m.UserNote,
            }).ToList())
        {
            OutTimes = entries.Where(e => exported.ContainsKey(e.RawPunchId)).Select(e => ToBackup(e, exported[e.RawPunchId], jobKeys)).ToList(),
        };
        await BackupWriter.WriteAsync(output, document, cancellationToken);
    }

    /// <summary>The time zone of the user's Kronos connection: a backup's times are written in it, and read in it when the file names none.</summary>
    internal static async Task<string?> ConnectionZoneAsync(IDbContextFactory<PayTrackDbContext> contexts, string userId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.KronosConnections.AsNoTracking().Where(c => c.UserId == userId).Select(c => c.TimeZone).FirstOrDefaultAsync(cancellationToken);
    }

    private static BackupOutTime ToBackup(OutTimeEntry entry, RawPunch punch, Dictionary<long, Job> jobs) => new()
    {
        EmployeeId = jobs[punch.JobId].EmployeeId,
        PayRuleId = jobs[punch.JobId].PayRuleId,
        PunchId = punch.SiteId,
        In = punch.InAt,
        Out = entry.OutAt,
        Entered = entry.EnteredAt,
        Replaced = entry.ReplacedAt,
        KronosOut = entry.KronosOutAt,
    };

    private static WirePunch ToWire(RawPunch punch) => new()
    {
        Id = punch.SiteId,
        InDateTime = punch.InAt,
        OutDateTime = punch.OutAt,
        EndReason = punch.EndReason,
        InRounded = punch.InRounded,
        OutRounded = punch.OutRounded,
        TimeZone = punch.TimeZone,
        Edited = punch.Edited,
        UpdatedOn = punch.UpdatedOn,
    };

    private static EmployeeJob ToWire(Job job) => new()
    {
        FirstName = job.FirstName,
        EmployeeId = job.EmployeeId,
        BadgeNum = job.BadgeNumber,
        DepartmentDesc = job.Department,
        PayRuleId = job.PayRuleId,
        BaseWageRate = job.BaseWageRate,
        HireDate = job.HireDate is { } hire ? new DateTimeOffset(hire.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : null,
    };
}
