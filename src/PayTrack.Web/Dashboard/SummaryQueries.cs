using Npgsql;
using PayTrack.Web.Pay;
using PayTrack.Web.Timecards;

namespace PayTrack.Web.Dashboard;

/// <summary>The pay summary of a date range, for the API and the <c>report</c> command: exact per shift.</summary>
public sealed class SummaryQueries(NpgsqlDataSource dataSource, PayProfiles profiles)
{
    /// <summary>The longest range one request may ask for: ten years of days.</summary>
    public const int MaxDays = 3660;

    public async Task<PaySummary> SummarizeAsync(DashboardSubject subject, DateRange range, CancellationToken cancellationToken)
    {
        var profile = await profiles.LoadAsync(subject, cancellationToken);
        return await SummarizeAsync(profile, range, cancellationToken);
    }

    public async Task<PaySummary> SummarizeAsync(PayProfile profile, DateRange range, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var shifts = await ShiftsAsync(profile, profile.Calculator.ShiftDatesNeededFor(range), cancellationToken);
        return profile.Calculator.Summarize(range, shifts);
    }

    public async Task<IReadOnlyList<WorkedShift>> ShiftsAsync(PayProfile profile, DateRange dates, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(profile);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection);
        batch.BatchCommands.Add(TimecardReads.PerShift(profile.UserId, dates));
        await using var reader = await Prepared.ExecuteAsync(batch, cancellationToken);
        return await TimecardReads.ReadPerShiftAsync(reader, profile.KeyOf, cancellationToken);
    }
}
