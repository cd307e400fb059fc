using System.Globalization;
using System.Text;
using Microsoft.Extensions.DependencyInjection;

namespace PayTrack.Bench.UpdatePunches;

internal static class Report
{
    private static double Cost(ScenarioResult r) => 1000 * (r.NodeCpuSeconds.Sum() + r.SimulatorCpuSeconds + r.PostgresCpuSeconds) / r.Users;

    private static double Cores(ScenarioResult r) => (r.NodeCpuSeconds.Sum() + r.SimulatorCpuSeconds + r.PostgresCpuSeconds) / r.WallSeconds;

    public static string Write(BenchOptions options, ScenarioPair one, ScenarioPair two, TimeSpan total, double entriesSeconds)
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(string.Create(c, $"# update-punches on Hangfire: {options.Users:N0} users on one node and on two"));
        text.AppendLine();
        text.AppendLine("Written by `bench/update-punches/run.sh` (one run, Release build). Everything runs as real processes on this");
        text.AppendLine("machine: a private PostgreSQL, the Kronos simulator with numbered accounts and a fixed latency per request, and");
        text.AppendLine("PayTrack nodes (`dotnet PayTrack.Web.dll`). A base database is seeded once with the users, their Kronos");
        text.AppendLine("connections and their Hangfire Dashboard entries (`catchup:<email>`); each scenario runs on a fresh copy of it.");
        text.AppendLine("`dotnet PayTrack.Web.dll update-punches` records one run per user and enqueues one Hangfire job per user; the");
        text.AppendLine("nodes' Hangfire workers (`PayTrack:Jobs:WorkerCount` per node) take them. Wall time runs from the sweep's start");
        text.AppendLine("to the last user's update committed, from the database's own timestamps; requests are the simulator's count.");
        text.AppendLine("Each setup sweeps twice: the **first sweep** right after the nodes start (new accounts, so every punch is new,");
        text.AppendLine("and the code is still being compiled), then the **next day's** on the same nodes (warm, every punch already stored:");
        text.AppendLine("the daily case).");
        text.AppendLine();
        text.AppendLine(string.Create(c, $"Measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}; whole run {total.TotalMinutes:F1} min; load averages at the end (1, 5, 15 min) {string.Join(", ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3))}."));
        text.AppendLine();
        ScenarioResult[] all = [one.First, one.Next, two.First, two.Next];
        string Row(string name, Func<ScenarioResult, string> cell) => $"| {name} | {string.Join(" | ", all.Select(cell))} |";
        text.AppendLine("| | one node, first sweep | one node, next day | two nodes, first sweep | two nodes, next day |");
        text.AppendLine("|---|---|---|---|---|");
        text.AppendLine(Row("users updated (failed)", r => string.Create(c, $"{r.Succeeded:N0} ({r.Failed})")));
        text.AppendLine(Row("simulated latency", _ => string.Create(c, $"{options.LatencyMs} ms")));
        text.AppendLine(Row("parallelism (Hangfire workers)", r => string.Create(c, $"{r.TotalParallelism}")));
        text.AppendLine(Row("requests", r => string.Create(c, $"{r.Requests:N0}")));
        text.AppendLine(Row("wall time", r => string.Create(c, $"{r.WallSeconds:F1} s")));
        text.AppendLine(Row("ideal = requests x latency / parallelism", r => string.Create(c, $"{r.IdealSeconds:F1} s")));
        text.AppendLine(Row("**wall / ideal** (goal for one node: within 1.10)", r => string.Create(c, $"**{r.Ratio:F3}**")));
        text.AppendLine(Row("throughput", r => string.Create(c, $"{r.UsersPerSecond:F1} users/s")));
        text.AppendLine(Row("users per node", r => string.Join(", ", r.UsersByNode.Values.Select(v => v.ToString("N0", c)))));
        text.AppendLine(Row("CPU time of the nodes", r => string.Join(" + ", r.NodeCpuSeconds.Select(v => v.ToString("F1", c))) + " s"));
        text.AppendLine(Row("CPU time of the simulator, of PostgreSQL", r => string.Create(c, $"{r.SimulatorCpuSeconds:F1} s, {r.PostgresCpuSeconds:F1} s")));
        text.AppendLine(Row("**CPU per user, all processes** (goal: at most 8 ms)", r => string.Create(c, $"**{Cost(r):F1} ms** ({1000 * r.PostgresCpuSeconds / r.Users:F1} PostgreSQL)")));
        text.AppendLine();
        Verdicts(text, one, two);
        if (one.Floor is { } floor)
        {
            FloorSection(text, floor, one.Next);
        }

        EntriesSection(text, options, one.First, entriesSeconds);
        Notes(text, options, one.First, two.First);
        return text.ToString();
    }

    private static void Verdicts(StringBuilder text, ScenarioPair one, ScenarioPair two)
    {
        var c = CultureInfo.InvariantCulture;
        foreach (var (label, a, b) in new[] { ("first sweep", one.First, two.First), ("next day", one.Next, two.Next) })
        {
            var speedup = b.UsersPerSecond / a.UsersPerSecond;
            text.AppendLine(string.Create(c, $"**{label}:** two-node throughput / one-node throughput **{speedup:F2}** (goal: at least 1.85). " +
                $"One node within 1.10x of ideal: {(a.Ratio <= 1.10 ? "met" : "NOT met")}. Two nodes at least 1.85x one node: {(speedup >= 1.85 ? "met" : "NOT met")}. " +
                $"CPU per user at most 8 ms: {(Cost(a) <= 8 ? "met" : "NOT met")}."));
            text.AppendLine();
        }

    }

    private static void FloorSection(StringBuilder text, FloorResult floor, ScenarioResult next)
    {
        var c = CultureInfo.InvariantCulture;
        var floorMs = floor.NodeMsPerJob + floor.PostgresMsPerJob;
        var simulatorMs = 1000 * next.SimulatorCpuSeconds / next.Users;
        text.AppendLine();
        text.AppendLine("## The floor: one Hangfire job per user, with nothing in it");
        text.AppendLine();
        text.AppendLine("On the one node, warm, after its next-day sweep: one user job per user enqueued as the sweep enqueues them (the same");
        text.AppendLine("job, queue and serializer, no client filters), each for a run that does not exist. A worker fetches it, Hangfire");
        text.AppendLine("moves it to Processing, PayTrack's job asks for its run (one statement, no row) and returns, and Hangfire moves it");
        text.AppendLine("to Succeeded: no Kronos request, no ingest. The enqueueing client's own CPU (the bench process) is not counted.");
        text.AppendLine();
        text.AppendLine("| | per job | next day, per user |");
        text.AppendLine("|---|---|---|");
        text.AppendLine(string.Create(c, $"| node CPU | {floor.NodeMsPerJob:F2} ms | {1000 * next.NodeCpuSeconds.Sum() / next.Users:F2} ms |"));
        text.AppendLine(string.Create(c, $"| PostgreSQL CPU | {floor.PostgresMsPerJob:F2} ms | {1000 * next.PostgresCpuSeconds / next.Users:F2} ms |"));
        text.AppendLine(string.Create(c, $"| simulator CPU | none | {simulatorMs:F2} ms |"));
        text.AppendLine(string.Create(c, $"| **all processes** | **{floorMs:F2} ms** | **{Cost(next):F2} ms** |"));
        text.AppendLine();
        text.AppendLine(string.Create(c, $"{floor.Jobs:N0} jobs in {floor.WallSeconds:F1} s. The floor and the simulator's share alone come to {floorMs + simulatorMs:F2} ms a user"));
        text.AppendLine(string.Create(c, $"against the goal of 8 ms; PayTrack's own work for a user (the Kronos requests, the password's decryption, the ingest's reads"));
        text.AppendLine(string.Create(c, $"and writes) costs the other {Cost(next) - floorMs - simulatorMs:F2} ms."));
        text.AppendLine();
    }

    private static void EntriesSection(StringBuilder text, BenchOptions options, ScenarioResult one, double entriesSeconds)
    {
        var c = CultureInfo.InvariantCulture;
        text.AppendLine();
        text.AppendLine(string.Create(c, $"## {options.Users:N0} `catchup:` entries on the Hangfire Dashboard"));
        text.AppendLine();
        text.AppendLine("| | |");
        text.AppendLine("|---|---|");
        text.AppendLine(string.Create(c, $"| a node's first start adds every user's entry | {entriesSeconds:F1} s ({1000 * entriesSeconds / options.Users:F1} ms an entry; once) |"));
        if (one.Idle is { } idle)
        {
            text.AppendLine(string.Create(c, $"| idle node, CPU | {100 * idle.NodeCpuSeconds / idle.Seconds:F1} % of a core ({idle.NodeCpuSeconds:F2} s in {idle.Seconds:F0} s); PostgreSQL {100 * idle.PostgresCpuSeconds / idle.Seconds:F1} % |"));
        }

        if (one.RecurringPage is { } page)
        {
            text.AppendLine(string.Create(c, $"| Recurring Jobs page (`/hangfire/recurring`, signed in as admin) | median {page.MedianMs:F0} ms, max {page.MaxMs:F0} ms over {page.Requests} requests |"));
        }

    }

    private static void Notes(StringBuilder text, BenchOptions options, ScenarioResult one, ScenarioResult two)
    {
        var c = CultureInfo.InvariantCulture;
        text.AppendLine();
        text.AppendLine("## Reading the figures");
        text.AppendLine();
        text.AppendLine(string.Create(c, $"- The simulator, PostgreSQL and the nodes share this machine's {Environment.ProcessorCount} cores with whatever else runs on it. The processes used"));
        text.AppendLine(string.Create(c, $"  {Cores(one):F2} cores with one node and {Cores(two):F2} with two. Two nodes can only double one node's throughput while one node"));
        text.AppendLine(string.Create(c, $"  needs well under half the machine, hence {options.Parallelism} workers per node here; PayTrack's default"));
        text.AppendLine("  (`WorkerCount` = 16) is for a node with cores of its own and the database elsewhere.");
        text.AppendLine("- Every user's update is a Hangfire job: enqueue, fetch, and the Processing and Succeeded states are rows in");
        text.AppendLine("  Hangfire's schema, on top of the timecard ingest; that is where PostgreSQL's share of the CPU per user goes.");
        text.AppendLine("- Both nodes' workers take jobs from one queue, so the work splits about evenly (users per node above).");
        text.AppendLine("- As each user's update ends it asks whether its sweep has a user still to end: one probe of a partial index");
        text.AppendLine("  (`ix_job_runs_active_by_sweep`). Asked as an EXISTS before, the planner scanned the whole table whenever its");
        text.AppendLine("  statistics came from early in the sweep: with `--profile` at 10,000 users that was 2.1 ms of PostgreSQL's time per");
        text.AppendLine("  user on the next day (a quarter of its CPU), growing with the number of users.");
    }
}
