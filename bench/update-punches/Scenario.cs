using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using PayTrack.Web.LocalPostgres;

namespace PayTrack.Bench.UpdatePunches;

internal static class Scenario
{
    public static async Task<ScenarioPair> RunAsync(LocalPostgresServer server, BenchOptions options, Process simulator, string simUrl, int nodes)
    {
        var name = $"run_{nodes}_nodes";
        await Sql.ExecAsync(server.ConnectionString("postgres"), $"CREATE DATABASE {name} TEMPLATE bench_base");
        var db = server.ConnectionString(name);
        var processes = new List<(Process Process, int Port)>();
        try
        {
            for (var i = 0; i < nodes; i++)
            {
                processes.Add(Processes.StartNode(options, db));
            }

            foreach (var (process, port) in processes)
            {
                await Processes.WaitReadyAsync(process, port);
            }

            await Sql.WaitAsync(db, $"SELECT count(*) = {nodes} FROM hangfire.server", TimeSpan.FromSeconds(120));
            var idle = nodes == 1 ? await Entries.MeasureIdleAsync(processes[0].Process, server, options) : null;
            var page = nodes == 1 ? await Entries.MeasureRecurringPageAsync(processes[0].Port) : null;
            using var http = new HttpClient { BaseAddress = new Uri(simUrl) };
            // The first sweep meets new accounts on freshly started nodes: every punch is new and the code is cold.
            // The second is the next day's: the same nodes, now warm, and every punch already stored.
            var first = await SweepAsync(server, options, simulator, http, processes, db, nodes, "first sweep");
            var next = await SweepAsync(server, options, simulator, http, processes, db, nodes, "next day");
            // On the same warm node: what one Hangfire job per user costs with nothing in it.
            var floor = nodes == 1 ? await Floor.RunAsync(server, processes[0].Process, db, options.Users) : null;
            return new ScenarioPair(first with { Idle = idle, RecurringPage = page }, next, floor);
        }
        finally
        {
            foreach (var (process, _) in processes)
            {
                Processes.Stop(process);
            }
        }
    }
    private static async Task<ScenarioResult> SweepAsync(LocalPostgresServer server, BenchOptions options, Process simulator, HttpClient http,
        List<(Process Process, int Port)> processes, string db, int nodes, string label)
    {
        (await http.PostAsync("/_sim/stats/reset", null)).EnsureSuccessStatusCode();
        if (options.Profile)
        {
            await Sql.ExecAsync(server.ConnectionString("postgres"), "SELECT pg_stat_statements_reset()");
        }

        var cpuBefore = processes.Select(p => Cpu.Of(p.Process)).ToList();
        var (simBefore, pgBefore) = (Cpu.Of(simulator), Cpu.OfPostgres(server));
        Console.WriteLine($"{nodes} node(s), {label}: queueing update-punches for {options.Users:N0} users, {options.Parallelism} at once per node");
        var queue = await Processes.RunVerbAsync(options, ["update-punches"], db);
        if (queue.ExitCode != 0)
        {
            throw new InvalidOperationException("update-punches failed:\n" + queue.Output);
        }

        var sweep = await Sql.ScalarAsync<long>(db, "SELECT max(id) FROM job_runs WHERE user_id IS NULL");
        await Sql.WaitAsync(db, $"SELECT status <> 'running' FROM job_runs WHERE id = {sweep}", TimeSpan.FromMinutes(15), progress: $"SELECT count(*) FROM job_runs WHERE sweep_id = {sweep} AND status IN ('succeeded', 'failed')");
        var cpu = processes.Select((p, i) => Cpu.Of(p.Process) - cpuBefore[i]).ToList();
        if (options.Profile)
        {
            await Sql.PrintTopStatementsAsync(server.ConnectionString("postgres"));
        }

        var (simCpu, pgCpu) = (Cpu.Of(simulator) - simBefore, Cpu.OfPostgres(server) - pgBefore);
        return await CollectAsync(db, sweep, options, nodes, http, cpu, simCpu, pgCpu);
    }

    private static async Task<ScenarioResult> CollectAsync(string db, long sweep, BenchOptions options, int nodes, HttpClient http, List<double> cpu, double simCpu, double pgCpu)
    {
        var stats = await http.GetFromJsonAsync<JsonElement>("/_sim/stats");
        var requests = stats.GetProperty("apiRequests").GetInt64();
        var wall = await Sql.ScalarAsync<double>(db, $"SELECT extract(epoch FROM max(u.finished_at) - s.queued_at)::float8 FROM job_runs s JOIN job_runs u ON u.sweep_id = s.id WHERE s.id = {sweep} GROUP BY s.queued_at");
        var succeeded = (int)await Sql.ScalarAsync<long>(db, $"SELECT count(*) FROM job_runs WHERE sweep_id = {sweep} AND status = 'succeeded'");
        var failed = (int)await Sql.ScalarAsync<long>(db, $"SELECT count(*) FROM job_runs WHERE sweep_id = {sweep} AND status <> 'succeeded'");
        // The Hangfire server that processed each of this sweep's user jobs (its Processing state names the server).
        var byNode = await Sql.CountsAsync(db, "SELECT (s.data::jsonb)->>'ServerId', count(DISTINCT j.id) FROM hangfire.job j JOIN hangfire.state s ON s.jobid = j.id " +
            "WHERE s.name = 'Processing' AND j.invocationdata::text LIKE '%UserAsync%' " +
            $"AND (j.arguments::jsonb->>0)::bigint IN (SELECT id FROM job_runs WHERE sweep_id = {sweep}) GROUP BY 1 ORDER BY 1");
        var parallelism = options.Parallelism * nodes;
        var result = new ScenarioResult(nodes, options.Users, succeeded, failed, requests, wall, requests * options.LatencyMs / 1000.0 / parallelism, byNode, cpu, simCpu, pgCpu, parallelism);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{nodes} node(s): {wall:F1} s wall, ideal {result.IdealSeconds:F1} s, ratio {result.Ratio:F3}, {result.UsersPerSecond:F1} users/s, {requests:N0} requests, {failed} failed; CPU s: nodes {string.Join("+", cpu.Select(x => x.ToString("F1", CultureInfo.InvariantCulture)))}, simulator {simCpu:F1}, PostgreSQL {pgCpu:F1}"));
        return result;
    }
}
