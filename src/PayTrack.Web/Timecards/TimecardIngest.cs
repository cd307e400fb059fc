using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using PayTrack.Web.Data;
using PayTrack.Web.Data.Configurations;
using PayTrack.Web.Kronos;

namespace PayTrack.Web.Timecards;

public enum IngestSource
{
    Kronos,
    Import,
}

/// <summary>The outcome of one ingest: counts of punches and the problems that stopped it (then nothing was stored).</summary>
public sealed record IngestResult(
    long BatchId,
    bool Succeeded,
    int New,
    int Changed,
    int Unchanged,
    int ShiftsWritten,
    IReadOnlyList<IngestProblemInfo> Problems,
    string? Message = null)
{
    /// <summary>One line for people: the counts, or what went wrong first.</summary>
    public string Summary => Succeeded
        ? string.Create(CultureInfo.InvariantCulture, $"{New} new, {Changed} changed, {Unchanged} unchanged punches; {ShiftsWritten} shifts written.")
        : "Nothing was stored: " + (Message ?? Problems.Select(p => p.ToString() + (p.ToString().EndsWith('.') ? "" : ".")).FirstOrDefault() ?? "")
          + (Message is null && Problems.Count > 1 ? string.Create(CultureInfo.InvariantCulture, $" ({Problems.Count - 1} more problems.)") : "");
}

/// <summary>A manual shift carried by a backup file.</summary>
internal sealed record ManualShiftImport(long EmployeeId, long PayRuleId, DateTimeOffset StartAt, DateTimeOffset EndAt, string TimeZone, string? Note);

/// <summary>
/// Stores a batch of punches: validation and cleaning in memory, then one transaction. It looks up which punches are
/// stored already; new ones are binary-COPYed straight into raw_punches and their shifts into shifts; stored ones are
/// binary-COPYed into a temporary staging table and merged set-based (a newer version replaces the stored one after
/// the old version is copied to the history; identical ones are untouched) and their shifts rewritten when their
/// meaning changed. Ingesting the same data again writes no punch and no shift.
/// </summary>
public sealed partial class TimecardIngest(
    TimecardDatabase database,
    IDbContextFactory<PayTrackDbContext> contexts,
    IOptions<TimecardOptions> options,
    TimeProvider clock,
    ILogger<TimecardIngest> logger)
{
    public Task<IngestResult> IngestAsync(
        string userId,
        EmployeeList jobs,
        IReadOnlyList<JobTimecard> timecards,
        IngestSource source,
        string defaultTimeZone,
        CancellationToken cancellationToken) =>
        IngestCoreAsync(userId, jobs, timecards, source, defaultTimeZone, [], [], cancellationToken);

    internal async Task<IngestResult> IngestCoreAsync(
        string userId,
        EmployeeList jobs,
        IReadOnlyList<JobTimecard> timecards,
        IngestSource source,
        string defaultTimeZone,
        IReadOnlyList<ManualShiftImport> manualShifts,
        IReadOnlyList<OutTimeImport> outTimes,
        CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        var rules = new CleaningRules(options.Value.MaxShift);
        var started = clock.GetTimestamp();
        var plan = IngestPlanner.Plan(userId, jobs, timecards, defaultTimeZone, rules);
        var problems = plan.Problems.Count > 0 ? plan.Problems : [.. CheckManual(plan, manualShifts), .. OutTimes.Check(plan, outTimes)];
        if (problems.Count > 0)
        {
            return await RecordFailureAsync(userId, source, problems, null, cancellationToken);
        }

        try
        {
            return await StoreAsync(userId, plan, source, rules, (manualShifts, outTimes), clock.GetElapsedTime(started), cancellationToken);
        }
        catch (NpgsqlException ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogStoreFailed(logger, ex, userId);
            try
            {
                await RecordFailureAsync(userId, source, [], "The database refused the batch; nothing of it was stored.", CancellationToken.None);
            }
            catch (Exception recordEx) when (recordEx is NpgsqlException or DbUpdateException)
            {
                // The database is likely unreachable; the original error is the one worth rethrowing.
                LogRecordFailed(logger, recordEx, userId);
            }

            throw;
        }
    }

    /// <summary>How many problems of a refused batch are stored to show; the count is stored whole.</summary>
    public const int StoredProblems = 20;

    private static string Cut(string text, int max) => text.Length <= max ? text : string.Concat(text.AsSpan(0, max - 1), "…");

    /// <summary>Records a batch that stored nothing, with its problems, so the user can see why.</summary>
    public async Task<IngestResult> RecordFailureAsync(
        string userId, IngestSource source, IReadOnlyList<IngestProblemInfo> problems, string? message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(problems);
        var now = clock.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var batch = new IngestBatch
        {
            UserId = userId,
            Source = ToShiftSource(source),
            Status = IngestBatchStatus.Failed,
            StartedAt = now,
            FinishedAt = now,
            ProblemCount = problems.Count,
            Message = message is null ? null : Cut(message, 300),
        };
        db.IngestBatches.Add(batch);
        await db.SaveChangesAsync(cancellationToken);
        // The problems a page shows; a file broken everywhere keeps its count, not thousands of rows.
        db.IngestProblems.AddRange(problems.Take(StoredProblems).Select(p => new IngestProblem
        {
            BatchId = batch.Id,
            UserId = userId,
            Location = Cut(p.Location, 200),
            Message = Cut(p.Message, 300),
        }));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new IngestResult(batch.Id, false, 0, 0, 0, 0, problems, message);
    }

    private async Task<IngestResult> StoreAsync(
        string userId, IngestPlan plan, IngestSource source, CleaningRules rules,
        (IReadOnlyList<ManualShiftImport> Shifts, IReadOnlyList<OutTimeImport> OutTimes) manual, TimeSpan planTime, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var phase = clock.GetTimestamp();
        var sourceName = DbNames.Of(ToShiftSource(source));
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var (jobIds, batchId, (fresh, known, same)) = await IngestPunches.BeginBatchAsync(connection, userId, plan, sourceName, now, cancellationToken);
        var incoming = IngestPunches.Incoming(plan, jobIds, ToShiftSource(source));
        int changedCount = 0, matched = 0;
        if (known.Count > 0)
        {
            await IngestPunches.StageAsync(connection, incoming, known, cancellationToken);
        }

        var stageTime = clock.GetElapsedTime(phase);
        phase = clock.GetTimestamp();
        if (known.Count > 0)
        {
            (changedCount, matched) = await IngestPunches.MergePunchesAsync(connection, userId, batchId, sourceName, now, cancellationToken);
        }

        var freshIds = await IngestPunches.CopyNewPunchesAsync(connection, userId, batchId, sourceName, now, incoming, fresh, cancellationToken);
        var newCount = fresh.Count;
        var mergeTime = clock.GetElapsedTime(phase);
        phase = clock.GetTimestamp();

        var manualDates = await IngestShifts.InsertManualAsync(connection, userId, manual.Shifts, jobIds, rules, now, cancellationToken);
        var shiftsWritten = manualDates.Count;
        if (newCount + changedCount + manualDates.Count > 0)
        {
            shiftsWritten += await IngestShifts.WriteShiftsAsync(
                connection, userId, incoming, new IngestShifts.AppliedPunches(fresh, freshIds, changedCount), manualDates, rules, sourceName, now, cancellationToken);
        }

        // A user's out time closes its shift until Kronos delivers the punch's own (then Kronos wins).
        if (await OutTimes.ImportAsync(connection, userId, manual.OutTimes, jobIds, cancellationToken) + newCount + changedCount + manualDates.Count > 0)
        {
            await OutTimes.ApplyAsync(connection, userId, rules, now, cancellationToken);
        }

        var shiftsTime = clock.GetElapsedTime(phase);
        var unchanged = same + matched - changedCount;
        await IngestPunches.FinishBatchAsync(connection, userId, batchId, (plan.Jobs, jobIds), clock.GetUtcNow(), (newCount, changedCount, unchanged, shiftsWritten), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        LogStored(logger, batchId, userId, newCount, changedCount, unchanged, shiftsWritten,
            (long)planTime.TotalMilliseconds, (long)stageTime.TotalMilliseconds, (long)mergeTime.TotalMilliseconds, (long)shiftsTime.TotalMilliseconds);
        return new IngestResult(batchId, true, newCount, changedCount, unchanged, shiftsWritten, []);
    }

    private static List<IngestProblemInfo> CheckManual(IngestPlan plan, IReadOnlyList<ManualShiftImport> manualShifts)
    {
        var problems = new List<IngestProblemInfo>();
        var jobs = plan.Jobs.Select(j => (j.Job.EmployeeId, j.Job.PayRuleId)).ToHashSet();
        for (var i = 0; i < manualShifts.Count; i++)
        {
            var manual = manualShifts[i];
            var at = string.Create(CultureInfo.InvariantCulture, $"$.manualShifts[{i}]");
            if (!jobs.Contains((manual.EmployeeId, manual.PayRuleId)))
            {
                problems.Add(new IngestProblemInfo(at, IngestPlanner.Describe(manual.EmployeeId, manual.PayRuleId) + " is not in the employee list."));
            }
            else if (!CleaningRules.IsKnownZone(manual.TimeZone))
            {
                problems.Add(new IngestProblemInfo(at + ".timezone", $"'{manual.TimeZone}' is not a known IANA time zone."));
            }
            else if (ManualShifts.Check(manual.StartAt, manual.EndAt, manual.Note) is { } problem)
            {
                problems.Add(new IngestProblemInfo(at + "." + problem.Field, problem.Message));
            }
        }

        return problems;
    }

    internal static ShiftSource ToShiftSource(IngestSource source) => source == IngestSource.Kronos ? ShiftSource.Kronos : ShiftSource.Import;

    [LoggerMessage(Level = LogLevel.Information, Message = "Ingest batch {BatchId} for user {UserId}: {Added} new, {Changed} changed, {Unchanged} unchanged punches, "
        + "{Shifts} shifts written; milliseconds spent: plan {PlanMs}, stage {StageMs}, merge {MergeMs}, shifts {ShiftsMs}")]
    private static partial void LogStored(ILogger logger, long batchId, string userId, int added, int changed, int unchanged, int shifts, long planMs, long stageMs, long mergeMs, long shiftsMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The failed ingest batch for user {UserId} could not be recorded")]
    private static partial void LogRecordFailed(ILogger logger, Exception exception, string userId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Storing an ingest batch for user {UserId} failed; the transaction was rolled back")]
    private static partial void LogStoreFailed(ILogger logger, Exception exception, string userId);
}
