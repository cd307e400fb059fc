using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;
using PayTrack.Web.Connections;
using PayTrack.Web.Data;
using PayTrack.Web.LocalPostgres;
using PayTrack.Web.Operations;

namespace PayTrack.Bench.UpdatePunches;

internal sealed record BenchOptions(string WebDll, string SimulatorDll, string Work, string Results, int Users, int LatencyMs, int Parallelism, bool Profile)
{
    public static BenchOptions Parse(string[] args)
    {
        string Value(string name, string? fallback = null)
        {
            var index = Array.IndexOf(args, name);
            return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback ?? throw new ArgumentException($"{name} is required.", nameof(args));
        }

        return new BenchOptions(
            Path.GetFullPath(Value("--web-dll")),
            Path.GetFullPath(Value("--simulator-dll")),
            Path.GetFullPath(Value("--work")),
            Path.GetFullPath(Value("--results")),
            int.Parse(Value("--users", "10000"), CultureInfo.InvariantCulture),
            int.Parse(Value("--latency-ms", "50"), CultureInfo.InvariantCulture),
            int.Parse(Value("--parallelism", "6"), CultureInfo.InvariantCulture),
            args.Contains("--profile", StringComparer.Ordinal));
    }
}

internal sealed record ScenarioResult(
    int Nodes,
    int Users,
    int Succeeded,
    int Failed,
    long Requests,
    double WallSeconds,
    double IdealSeconds,
    IReadOnlyDictionary<string, int> UsersByNode,
    IReadOnlyList<double> NodeCpuSeconds,
    double SimulatorCpuSeconds,
    double PostgresCpuSeconds,
    int TotalParallelism)
{
    public IdleFigures? Idle { get; init; }

    public PageFigures? RecurringPage { get; init; }

    public double Ratio => WallSeconds / IdealSeconds;

    public double UsersPerSecond => Users / WallSeconds;
}

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
            return new ScenarioPair(first with { Idle = idle, RecurringPage = page }, next);
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

internal static class Seed
{
    /// <summary>Users in one binary COPY (they never sign in, so no password hash); connections through KronosConnections.</summary>
    public static async Task RunAsync(string connectionString, string kronosBaseUrl, int users)
    {
        var ids = Enumerable.Range(0, users).Select(i => (Id: Guid.NewGuid().ToString(), Account: $"user{i:D5}")).ToList();
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var import = await connection.BeginBinaryImportAsync(
                "COPY identity_users (id, created_at, user_name, normalized_user_name, email, normalized_email, email_confirmed, security_stamp, " +
                "concurrency_stamp, phone_number_confirmed, two_factor_enabled, lockout_enabled, access_failed_count) FROM STDIN (FORMAT BINARY)");
            var now = DateTimeOffset.UtcNow;
            foreach (var (id, account) in ids)
            {
                var email = account + "@bench.test";
                await import.StartRowAsync();
                await import.WriteAsync(id, NpgsqlDbType.Text);
                await import.WriteAsync(now, NpgsqlDbType.TimestampTz);
                await import.WriteAsync(email, NpgsqlDbType.Varchar);
                await import.WriteAsync(email.ToUpperInvariant(), NpgsqlDbType.Varchar);
                await import.WriteAsync(email, NpgsqlDbType.Varchar);
                await import.WriteAsync(email.ToUpperInvariant(), NpgsqlDbType.Varchar);
                await import.WriteAsync(true, NpgsqlDbType.Boolean);
                await import.WriteAsync(Guid.NewGuid().ToString("N"), NpgsqlDbType.Text);
                await import.WriteAsync(Guid.NewGuid().ToString(), NpgsqlDbType.Text);
                await import.WriteAsync(false, NpgsqlDbType.Boolean);
                await import.WriteAsync(false, NpgsqlDbType.Boolean);
                await import.WriteAsync(true, NpgsqlDbType.Boolean);
                await import.WriteAsync(0, NpgsqlDbType.Integer);
            }

            await import.CompleteAsync();
        }

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production", Args = [] });
        builder.Configuration["ConnectionStrings:" + DataExtensions.ConnectionStringName] = connectionString;
        builder.Configuration["PayTrack:DataProtection:Key"] = Processes.DataProtectionKey;
        builder.Logging.ClearProviders();
        await using var database = await builder.AddDatabaseAsync(() => builder.BootstrapLoggerFactory(quiet: true));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.AddConnections();
        await using var app = builder.Build();
        // The first save creates the key ring; the rest share it.
        await SaveAsync(app.Services, ids[0].Id, ids[0].Account, kronosBaseUrl);
        await Parallel.ForEachAsync(ids.Skip(1), new ParallelOptions { MaxDegreeOfParallelism = 8 },
            async (user, _) => await SaveAsync(app.Services, user.Id, user.Account, kronosBaseUrl));
    }

    private static async Task SaveAsync(IServiceProvider services, string userId, string account, string kronosBaseUrl)
    {
        await using var scope = services.CreateAsyncScope();
        var problem = await scope.ServiceProvider.GetRequiredService<KronosConnections>()
            .SaveAsync(userId, new KronosConnectionInput(kronosBaseUrl, account, account, "America/New_York"), CancellationToken.None);
        if (problem is not null)
        {
            throw new InvalidOperationException($"Connection of {account} not saved: {problem}");
        }
    }
}

internal static class Processes
{
    /// <summary>The secret that protects the key ring (required in Production): one per bench run, the same for every process.</summary>
    public static readonly string DataProtectionKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    public static async Task<(Process Process, string Url)> StartSimulatorAsync(BenchOptions options)
    {
        var lines = new StringBuilder();
        var url = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = Start(options.SimulatorDll, ["--urls", "http://127.0.0.1:0"], new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Simulator__AccountCount"] = options.Users.ToString(CultureInfo.InvariantCulture),
            ["Simulator__Faults__LatencyMs"] = options.LatencyMs.ToString(CultureInfo.InvariantCulture),
        }, line =>
        {
            lock (lines)
            {
                lines.AppendLine(line);
            }

            const string Marker = "Now listening on: ";
            if (line.Contains(Marker, StringComparison.Ordinal))
            {
                url.TrySetResult(line[(line.IndexOf(Marker, StringComparison.Ordinal) + Marker.Length)..].Trim());
            }
        });
        var done = await Task.WhenAny(url.Task, Task.Delay(TimeSpan.FromSeconds(60)));
        return done == url.Task ? (process, await url.Task) : throw new InvalidOperationException("The simulator did not start:\n" + lines);
    }

    public static (Process, int) StartNode(BenchOptions options, string connectionString)
    {
        var port = FreePort();
        var process = Start(options.WebDll, ["--urls", $"http://127.0.0.1:{port}"], new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["ConnectionStrings__PayTrack"] = connectionString,
            ["PayTrack__Jobs__WorkerCount"] = options.Parallelism.ToString(CultureInfo.InvariantCulture),
            // No nightly run in the middle of a measurement: February 30th never comes.
            ["PayTrack__Jobs__UpdatePunchesCron"] = "0 0 30 2 *",
            ["PayTrack__Admin__Email"] = Entries.AdminEmail,
            ["PayTrack__Admin__Password"] = Entries.AdminPassword,
            ["Serilog__MinimumLevel__Default"] = "Warning",
            // The simulator listens on loopback, which PayTrack refuses to call unless told otherwise.
            ["PayTrack__Kronos__AllowPrivateAddresses"] = "true",
        }, line => Console.Error.WriteLine($"[node {port}] {line}"));
        return (process, port);
    }

    public static async Task WaitReadyAsync(Process process, int port)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"Node on port {port} exited with {process.ExitCode}.");
            }

            try
            {
                using var response = await http.GetAsync($"http://127.0.0.1:{port}/health/ready");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"Node on port {port} was not ready in time.");
    }

    public static async Task<(int ExitCode, string Output)> RunVerbAsync(BenchOptions options, string[] verb, string connectionString)
    {
        var output = new StringBuilder();
        using var process = Start(options.WebDll, verb, new Dictionary<string, string>(StringComparer.Ordinal) { ["ConnectionStrings__PayTrack"] = connectionString }, line =>
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        });
        await process.WaitForExitAsync();
        process.WaitForExit();
        return (process.ExitCode, output.ToString());
    }

    public static void Stop(Process? process)
    {
        if (process is null || process.HasExited)
        {
            return;
        }

        // SIGTERM, as a service manager stops a node; hard after 30 s.
        _ = Native.Kill(process.Id, 15);
        if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
        {
            process.Kill();
            process.WaitForExit();
        }
    }

    private static Process Start(string dll, IEnumerable<string> arguments, Dictionary<string, string> environment, Action<string> onLine)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Path.GetDirectoryName(dll)! };
        info.ArgumentList.Add(dll);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        info.Environment["PayTrack__DataProtection__Key"] = DataProtectionKey;
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                onLine(e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                onLine(e.Data);
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

internal static partial class Native
{
    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    internal static partial int Kill(int pid, int signal);
}

/// <summary>CPU seconds used so far by a process tree read from /proc: PostgreSQL's postmaster with its backends, or one process.</summary>
internal static class Cpu
{
    private static readonly double TicksPerSecond = 100;

    public static double OfPostgres(LocalPostgresServer server)
    {
        var postmaster = int.Parse(File.ReadLines(Path.Combine(server.DataDirectory, "postmaster.pid")).First(), CultureInfo.InvariantCulture);
        var total = Seconds(postmaster, includeReaped: true);
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && pid != postmaster && Parent(pid) == postmaster)
            {
                total += Seconds(pid, includeReaped: true);
            }
        }

        return total;
    }

    public static double Of(Process process) => Seconds(process.Id, includeReaped: true);

    private static int Parent(int pid) => Fields(pid) is { } f ? int.Parse(f[1], CultureInfo.InvariantCulture) : -1;

    private static double Seconds(int pid, bool includeReaped)
    {
        if (Fields(pid) is not { } f)
        {
            return 0;
        }

        // Fields after the command: state ppid ... utime(14) stime(15) cutime(16) cstime(17), counted from 1 in proc(5).
        long Field(int number) => long.Parse(f[number - 3], CultureInfo.InvariantCulture);
        var ticks = Field(14) + Field(15) + (includeReaped ? Field(16) + Field(17) : 0);
        return ticks / TicksPerSecond;
    }

    private static string[]? Fields(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}

internal static class Sql
{
    public static async Task ExecAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public static async Task<T> ScalarAsync<T>(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public static async Task<IReadOnlyDictionary<string, int>> CountsAsync(string connectionString, string sql)
    {
        var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            counts[reader.IsDBNull(0) ? "(none)" : reader.GetString(0)] = (int)reader.GetInt64(1);
        }

        return counts;
    }

    public static async Task PrintTopStatementsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT round(total_exec_time)::bigint, calls, round((total_exec_time / calls)::numeric, 3)::float8, left(regexp_replace(query, '\s+', ' ', 'g'), 110)
            FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 25
            """, connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            Console.WriteLine($"  {reader.GetInt64(0),8} ms {reader.GetInt64(1),8} calls {reader.GetDouble(2),8:F3} ms  {reader.GetString(3)}");
        }
    }

    /// <summary>Polls a boolean query until it is true, printing a progress count every five seconds.</summary>
    public static async Task WaitAsync(string connectionString, string sql, TimeSpan timeout, string? progress = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        var lastPrint = DateTime.UtcNow;
        while (!await ScalarAsync<bool>(connectionString, sql))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("Timed out waiting for: " + sql);
            }

            if (progress is not null && DateTime.UtcNow - lastPrint > TimeSpan.FromSeconds(5))
            {
                Console.WriteLine($"  ... {await ScalarAsync<long>(connectionString, progress):N0} users done");
                lastPrint = DateTime.UtcNow;
            }

            await Task.Delay(200);
        }
    }
}

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
        foreach (var (label, a, b) in new[] { ("first sweep", one.First, two.First), ("next day", one.Next, two.Next) })
        {
            var speedup = b.UsersPerSecond / a.UsersPerSecond;
            text.AppendLine(string.Create(c, $"**{label}:** two-node throughput / one-node throughput **{speedup:F2}** (goal: at least 1.85). " +
                $"One node within 1.10x of ideal: {(a.Ratio <= 1.10 ? "met" : "NOT met")}. Two nodes at least 1.85x one node: {(speedup >= 1.85 ? "met" : "NOT met")}. " +
                $"CPU per user at most 8 ms: {(Cost(a) <= 8 ? "met" : "NOT met")}."));
            text.AppendLine();
        }

        EntriesSection(text, options, one.First, entriesSeconds);
        Notes(text, options, one.First, two.First);
        return text.ToString();
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
    }
}

/// <summary>A node setup's two sweeps: the first after start (new accounts, cold code) and the next day's (warm, nothing new).</summary>
internal sealed record ScenarioPair(ScenarioResult First, ScenarioResult Next);

internal sealed record IdleFigures(double Seconds, double NodeCpuSeconds, double PostgresCpuSeconds);

internal sealed record PageFigures(int Requests, double MedianMs, double MaxMs, int Entries);

/// <summary>The Hangfire Dashboard's <c>catchup:&lt;email&gt;</c> entries, one per user: what they cost an idle node and the Recurring Jobs page.</summary>
internal static partial class Entries
{
    public const string AdminEmail = "admin@bench.test";
    public const string AdminPassword = "Bench-admin-1!";

    /// <summary>A node started on the base database adds every user's entry at its start; waits for them and says how long it took.</summary>
    public static async Task<double> CreateAsync(BenchOptions options, string db, int users)
    {
        var watch = Stopwatch.StartNew();
        var (process, port) = Processes.StartNode(options, db);
        try
        {
            await Processes.WaitReadyAsync(process, port);
            await Sql.WaitAsync(db, $"SELECT count(*) >= {users} FROM hangfire.set WHERE key = 'recurring-jobs' AND value LIKE 'catchup:%'",
                TimeSpan.FromMinutes(30), progress: "SELECT count(*) FROM hangfire.set WHERE key = 'recurring-jobs' AND value LIKE 'catchup:%'");
            return watch.Elapsed.TotalSeconds;
        }
        finally
        {
            Processes.Stop(process);
        }
    }

    /// <summary>CPU of a node with nothing to do (and of PostgreSQL, which answers its polls) over half a minute.</summary>
    public static async Task<IdleFigures> MeasureIdleAsync(Process node, LocalPostgresServer server, BenchOptions options)
    {
        _ = options;
        // Let start-up work settle first.
        await Task.Delay(TimeSpan.FromSeconds(10));
        var (nodeBefore, pgBefore) = (Cpu.Of(node), Cpu.OfPostgres(server));
        var watch = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(30));
        var figures = new IdleFigures(watch.Elapsed.TotalSeconds, Cpu.Of(node) - nodeBefore, Cpu.OfPostgres(server) - pgBefore);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Idle node: {figures.NodeCpuSeconds:F2} s CPU (PostgreSQL {figures.PostgresCpuSeconds:F2} s) in {figures.Seconds:F0} s"));
        return figures;
    }

    /// <summary>Signs in as the administrator and times the dashboard's Recurring Jobs page, ten times.</summary>
    public static async Task<PageFigures> MeasureRecurringPageAsync(int port)
    {
        using var handler = new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false };
        using var http = new HttpClient(handler) { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(2) };
        var login = await http.GetStringAsync("/account/login");
        var fields = Hidden().Matches(login).ToDictionary(m => WebUtility.HtmlDecode(m.Groups["name"].Value), m => WebUtility.HtmlDecode(m.Groups["value"].Value), StringComparer.Ordinal);
        fields["Input.Email"] = AdminEmail;
        fields["Input.Password"] = AdminPassword;
        using (var signIn = await http.PostAsync("/account/login", new FormUrlEncodedContent(fields)))
        {
            if (signIn.StatusCode != HttpStatusCode.Redirect)
            {
                throw new InvalidOperationException($"Signing in as the bench's admin answered {(int)signIn.StatusCode}.");
            }
        }

        var times = new List<double>();
        var entries = 0;
        for (var i = 0; i < 11; i++)
        {
            var watch = Stopwatch.StartNew();
            using var response = await http.GetAsync("/hangfire/recurring");
            var html = await response.Content.ReadAsStringAsync();
            watch.Stop();
            response.EnsureSuccessStatusCode();
            if (i > 0)
            {
                times.Add(watch.Elapsed.TotalMilliseconds);
            }

            var total = Total().Match(html);
            entries = total.Success ? int.Parse(total.Groups["n"].Value.Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture) : entries;
        }

        times.Sort();
        var figures = new PageFigures(times.Count, times[times.Count / 2], times[^1], entries);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Recurring Jobs page: median {figures.MedianMs:F0} ms, max {figures.MaxMs:F0} ms ({figures.Entries:N0} entries)"));
        return figures;
    }

    [System.Text.RegularExpressions.GeneratedRegex("<input[^>]*type=\"hidden\"[^>]*name=\"(?<name>[^\"]+)\"[^>]*value=\"(?<value>[^\"]*)\"", System.Text.RegularExpressions.RegexOptions.None, 1000)]
    private static partial System.Text.RegularExpressions.Regex Hidden();

    [System.Text.RegularExpressions.GeneratedRegex("Total items: (?<n>[0-9,]+)", System.Text.RegularExpressions.RegexOptions.None, 1000)]
    private static partial System.Text.RegularExpressions.Regex Total();
}
