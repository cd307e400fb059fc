using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net.Http.Json;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PayTrack.Web.Kronos;

namespace PayTrack.Bench.KronosFetch;

/// <summary>
/// Fetches four years of one account's timecards from the simulator (run by run.sh with a fixed latency) through
/// PayTrack's real client, and compares the wall time with the ideal: requests x latency / parallelism.
/// </summary>
internal static class KronosFetchBench
{
    public static async Task<int> Main(string[] args)
    {
        var options = Arguments.Parse(args);
        // The simulator listens on loopback, which PayTrack refuses to call unless told otherwise.
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection([new("PayTrack:Kronos:AllowPrivateAddresses", "true")])
            .Build();
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging()
            .AddKronosClient()
            .BuildServiceProvider();
        await using (services)
        {
            var client = services.GetRequiredService<KronosClient>();
            var settings = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<KronosOptions>>().Value;
            var origin = options.BaseUrl[..options.BaseUrl.LastIndexOf("/api", StringComparison.Ordinal)];
            using var backdoor = new HttpClient { BaseAddress = new Uri(origin) };

            // Warm-up on another account: JIT on both sides, and the connection pool as a running PayTrack has it.
            using (var warm = client.OpenSession(Connection(options, "user00001", "user00001")))
            {
                var jobs = await client.GetJobsAsync(warm, CancellationToken.None);
                Check(jobs.Succeeded, jobs.ToString());
                var warmed = await client.GetTimecardsAsync(warm, jobs.Value.Select(KronosJobKey.From).ToList(), options.Today.AddDays(-91), options.Today, CancellationToken.None);
                Check(warmed.Succeeded, warmed.ToString());
            }

            (await backdoor.PostAsync("/_sim/stats/reset", null)).EnsureSuccessStatusCode();
            var start = options.Today.AddYears(-options.Years).AddDays(1);
            using var session = client.OpenSession(Connection(options, options.Username, options.Password));

            var total = Stopwatch.StartNew();
            var accountJobs = await client.GetJobsAsync(session, CancellationToken.None);
            Check(accountJobs.Succeeded, accountJobs.ToString());
            var beforeTimecards = await ApiRequestsAsync(backdoor);
            var timecardPhase = Stopwatch.StartNew();
            var result = await client.GetTimecardsAsync(session, accountJobs.Value.Select(KronosJobKey.From).ToList(), start, options.Today, CancellationToken.None);
            timecardPhase.Stop();
            total.Stop();
            Check(result.Succeeded, result.ToString());
            var allRequests = await ApiRequestsAsync(backdoor);
            var timecardRequests = allRequests - beforeTimecards;

            var punches = await VerifyAgainstTruthAsync(backdoor, options, start, result.Value);
            var figures = new Figures(options, settings, start, accountJobs.Value.Count, punches, total.Elapsed, timecardPhase.Elapsed, allRequests, timecardRequests);
            Console.WriteLine(figures.Report());
            await File.WriteAllTextAsync(options.ResultsPath, figures.Markdown() + KeptHistory(options.ResultsPath));
            return figures.TimecardRatio <= 1.10 ? 0 : 2;
        }
    }

    private static KronosConnectionSettings Connection(Arguments options, string username, string password) =>
        new() { BaseUrl = options.BaseUrl, Username = username, Password = password };

    private static async Task<long> ApiRequestsAsync(HttpClient backdoor)
    {
        using var stats = await backdoor.GetFromJsonAsync<JsonDocument>("/_sim/stats");
        return stats!.RootElement.GetProperty("apiRequests").GetInt64();
    }

    /// <summary>A fast fetch of the wrong data is no result: the fetched timecards must equal the site's ground truth.</summary>
    private static async Task<int> VerifyAgainstTruthAsync(HttpClient backdoor, Arguments options, DateOnly start, IReadOnlyList<JobTimecard> timecards)
    {
        await using var stream = await backdoor.GetStreamAsync($"/_sim/truth/{options.Username}?from={start:yyyy-MM-dd}&to={options.Today:yyyy-MM-dd}");
        var truth = await JsonSerializer.DeserializeAsync(stream, KronosJsonContext.Default.BackupFile);
        var punches = 0;
        foreach (var timecard in timecards)
        {
            var expected = truth!.Timecards.Single(t => t.EmployeeId == timecard.EmployeeId && t.PayRuleId == timecard.PayRuleId).Periods;
            Check(
                JsonSerializer.Serialize(expected, KronosJsonContext.Default.IReadOnlyListTimecardPeriod) ==
                JsonSerializer.Serialize(timecard.Periods, KronosJsonContext.Default.IReadOnlyListTimecardPeriod),
                $"job {timecard.EmployeeId}/{timecard.PayRuleId} differs from the ground truth");
            punches += timecard.Periods.Sum(p => p.Days.Sum(d => d.Punches.Count));
        }

        return punches;
    }

    private static void Check([DoesNotReturnIf(false)] bool condition, string message)
    {
        if (!condition)
        {
            throw new InvalidOperationException(message);
        }
    }

    /// <summary>The machine's one-minute load average (Linux), to tell a quiet run from a contended one.</summary>
    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "unknown";

    /// <summary>
    /// The earlier comparisons kept below this run's figures: everything from the "## Before and after" heading on,
    /// written by hand when a change was measured against the one before it.
    /// </summary>
    private static string KeptHistory(string path)
    {
        const string Heading = "## Before and after";
        var text = File.Exists(path) ? File.ReadAllText(path) : "";
        var at = text.IndexOf(Heading, StringComparison.Ordinal);
        return at < 0 ? "" : Environment.NewLine + text[at..];
    }

    private sealed record Arguments(string BaseUrl, string Username, string Password, int Years, int LatencyMs, DateOnly Today, string ResultsPath)
    {
        public static Arguments Parse(string[] args)
        {
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i + 1 < args.Length; i += 2)
            {
                values[args[i].TrimStart('-')] = args[i + 1];
            }

            string Value(string name, string fallback) => values.TryGetValue(name, out var value) ? value : fallback;
            return new Arguments(
                Value("base-url", "http://127.0.0.1:5090/api"),
                Value("user", "ana.student"),
                Value("password", "demo"),
                int.Parse(Value("years", "4"), CultureInfo.InvariantCulture),
                int.Parse(Value("latency-ms", "100"), CultureInfo.InvariantCulture),
                DateOnly.ParseExact(Value("today", "2026-11-18"), "yyyy-MM-dd", CultureInfo.InvariantCulture),
                Value("results", "RESULTS.md"));
        }
    }

    private sealed record Figures(
        Arguments Options, KronosOptions Settings, DateOnly Start, int Jobs, int Punches,
        TimeSpan Total, TimeSpan TimecardWall, long AllRequests, long TimecardRequests)
    {
        private double Latency => Options.LatencyMs;

        private int Parallelism => Settings.MaxParallelChunks;

        public double TimecardIdealMs => TimecardRequests * Latency / Parallelism;

        public double TimecardRatio => TimecardWall.TotalMilliseconds / TimecardIdealMs;

        public double TotalIdealMs => AllRequests * Latency / Parallelism;

        public double TotalRatio => Total.TotalMilliseconds / TotalIdealMs;

        public string Report() => string.Create(CultureInfo.InvariantCulture, $"""
            kronos-fetch: {Options.Username}, {Jobs} jobs, {Start:yyyy-MM-dd}..{Options.Today:yyyy-MM-dd} ({Options.Years} years), {Punches} punches, equal to the ground truth
            latency {Latency} ms per request, chunks of {Settings.ChunkDays} days, {Parallelism} requests in flight per account
            timecards:  wall {TimecardWall.TotalMilliseconds:F0} ms, requests {TimecardRequests}, ideal {TimecardRequests} x {Latency} / {Parallelism} = {TimecardIdealMs:F0} ms, ratio {TimecardRatio:F3} (goal <= 1.10)
            end to end: wall {Total.TotalMilliseconds:F0} ms, requests {AllRequests} (sign-in, jobs, timecards), ideal {AllRequests} x {Latency} / {Parallelism} = {TotalIdealMs:F0} ms, ratio {TotalRatio:F3}
            """);

        public string Markdown()
        {
            var text = new StringBuilder();
            text.AppendLine("# kronos-fetch: four years of one account's timecards");
            text.AppendLine();
            text.AppendLine("Written by `bench/kronos-fetch/run.sh` (one run, Release build). The simulator runs as its own process on");
            text.AppendLine("127.0.0.1 with a fixed latency per request; PayTrack's `KronosClient` is registered exactly as in the app");
            text.AppendLine("(`AddKronosClient`: Refit, the resilience handler, a cookie jar per account; default `PayTrack:Kronos` options");
            text.AppendLine("except `AllowPrivateAddresses`, the simulator being on loopback). A warm-up fetch of another account comes first. The");
            text.AppendLine("fetched timecards are checked against the simulator's ground truth before any figure is reported.");
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"Measured {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}; load average (1 min) {LoadAverage()} when it ended.");
            text.AppendLine();
            text.AppendLine("| | |");
            text.AppendLine("|---|---|");
            text.AppendLine(CultureInfo.InvariantCulture, $"| account | `{Options.Username}`, {Jobs} jobs, {Start:yyyy-MM-dd} to {Options.Today:yyyy-MM-dd} ({Options.Years} years), {Punches} punches |");
            text.AppendLine(CultureInfo.InvariantCulture, $"| simulated latency | {Latency} ms per request |");
            text.AppendLine(CultureInfo.InvariantCulture, $"| chunking | {Settings.ChunkDays} days per request, {Parallelism} requests in flight per account |");
            text.AppendLine(CultureInfo.InvariantCulture, $"| timecard requests | {TimecardRequests} |");
            text.AppendLine(CultureInfo.InvariantCulture, $"| timecard wall time | {TimecardWall.TotalMilliseconds:F0} ms |");
            text.AppendLine(CultureInfo.InvariantCulture, $"| ideal (requests x latency / parallelism) | {TimecardRequests} x {Latency} / {Parallelism} = {TimecardIdealMs:F0} ms |");
            text.AppendLine(CultureInfo.InvariantCulture, $"| **ratio** (goal within 1.10) | **{TimecardRatio:F3}** |");
            text.AppendLine(CultureInfo.InvariantCulture, $"| end to end, sign-in and job list included | {Total.TotalMilliseconds:F0} ms for {AllRequests} requests; same formula {TotalIdealMs:F0} ms, ratio {TotalRatio:F3} |");
            text.AppendLine();
            text.AppendLine("The end-to-end line is stricter than the formula can be: sign-in and the job list must finish before the");
            text.AppendLine("first timecard request, so they cost a full round trip each however many requests may run at once.");
            return text.ToString();
        }
    }
}
