using System.Globalization;

namespace PayTrack.Web.Pay;

/// <summary>A job's hourly rate from <see cref="EffectiveFrom"/> (a local date) until the job's next change.</summary>
public sealed record PayRate(string JobKey, DateOnly EffectiveFrom, decimal HourlyRate);

/// <summary>
/// Hourly rates per job over time. Each job starts at its base wage (the site's <c>basewagerate</c>); a raise or
/// cut applies to shifts whose attributed local date is on or after its effective date, so a raise on a Wednesday
/// pays the Wednesday shift at the new rate even within a week already under way.
/// </summary>
public sealed class PayRateTable
{
    private readonly Dictionary<string, decimal> _baseWages;
    private readonly Dictionary<string, PayRate[]> _changes;

    public PayRateTable(IReadOnlyDictionary<string, decimal> baseWages, IEnumerable<PayRate>? changes = null)
    {
        ArgumentNullException.ThrowIfNull(baseWages);
        foreach (var (job, rate) in baseWages)
        {
            EnsureRate(job, rate, nameof(baseWages));
        }

        _baseWages = new Dictionary<string, decimal>(baseWages, StringComparer.Ordinal);

        var byJob = (changes ?? []).GroupBy(c => c.JobKey, StringComparer.Ordinal);
        _changes = new Dictionary<string, PayRate[]>(StringComparer.Ordinal);
        foreach (var job in byJob)
        {
            var ordered = job.OrderBy(c => c.EffectiveFrom).ToArray();
            for (var i = 0; i < ordered.Length; i++)
            {
                EnsureRate(job.Key, ordered[i].HourlyRate, nameof(changes));
                if (i > 0 && ordered[i].EffectiveFrom == ordered[i - 1].EffectiveFrom)
                {
                    throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                        $"Job {job.Key} has two rates effective on {ordered[i].EffectiveFrom:yyyy-MM-dd}; keep one."), nameof(changes));
                }
            }

            _changes[job.Key] = ordered;
        }
    }

    public static PayRateTable Empty { get; } = new(new Dictionary<string, decimal>(StringComparer.Ordinal));

    /// <summary>The rate paid for the job's hours on <paramref name="date"/>; null when neither a base wage nor a change is known.</summary>
    public decimal? RateOn(string jobKey, DateOnly date)
    {
        ArgumentNullException.ThrowIfNull(jobKey);
        if (_changes.TryGetValue(jobKey, out var changes))
        {
            for (var i = changes.Length - 1; i >= 0; i--)
            {
                if (changes[i].EffectiveFrom <= date)
                {
                    return changes[i].HourlyRate;
                }
            }
        }

        return _baseWages.TryGetValue(jobKey, out var baseWage) ? baseWage : null;
    }

    private static void EnsureRate(string job, decimal rate, string paramName)
    {
        if (string.IsNullOrWhiteSpace(job))
        {
            throw new ArgumentException("A pay rate needs a job.", paramName);
        }

        if (rate is < 0m or > 10_000m)
        {
            throw new ArgumentOutOfRangeException(paramName, rate, $"The hourly rate of job {job} must be between 0 and 10,000 dollars.");
        }
    }
}
