// update-punches benchmark driver (bench/update-punches/run.sh builds and starts it).
// A private PostgreSQL, the Kronos simulator with N numbered accounts at a fixed latency, and PayTrack nodes as real
// processes. A base database is seeded once (N users, each with a Kronos connection saved through PayTrack's own
// KronosConnections, so the passwords are encrypted with the database's key ring); each scenario runs on a copy.
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using PayTrack.Web.LocalPostgres;
using PayTrack.Bench.UpdatePunches;

var options = BenchOptions.Parse(args);
var started = Stopwatch.StartNew();
Directory.CreateDirectory(options.Work);
var pgDir = Path.Combine(options.Work, "pg-" + Guid.NewGuid().ToString("N")[..8]);
var server = await LocalPostgresServer.StartAsync(new LocalPostgresOptions { DataDirectory = pgDir, Database = "postgres" }, NullLogger.Instance);
if (options.Profile)
{
    // Statement statistics for looking into where PostgreSQL's time goes; off for the reported figures.
    await Sql.ExecAsync(server.ConnectionString("postgres"), "ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'");
    await server.StopAsync();
    server = await LocalPostgresServer.StartAsync(new LocalPostgresOptions { DataDirectory = pgDir, Database = "postgres" }, NullLogger.Instance);
    await Sql.ExecAsync(server.ConnectionString("postgres"), "CREATE EXTENSION pg_stat_statements");
}

Process? simulator = null;
try
{
    Console.WriteLine($"PostgreSQL on {server.ConnectionString("postgres").Split(';').First(p => p.StartsWith("Port", StringComparison.OrdinalIgnoreCase))}");
    await Sql.ExecAsync(server.ConnectionString("postgres"), "CREATE DATABASE bench_base");
    var baseDb = server.ConnectionString("bench_base");

    (simulator, var simUrl) = await Processes.StartSimulatorAsync(options);
    Console.WriteLine($"Simulator on {simUrl}: {options.Users:N0} accounts, {options.LatencyMs} ms a request");

    var migrate = await Processes.RunVerbAsync(options, ["users", "list"], baseDb);
    if (migrate.ExitCode != 0)
    {
        throw new InvalidOperationException("Migrating the base database failed:\n" + migrate.Output);
    }

    var seed = Stopwatch.StartNew();
    await Seed.RunAsync(baseDb, simUrl + "/api", options.Users);
    Console.WriteLine($"Seeded {options.Users:N0} users with connections in {seed.Elapsed.TotalSeconds:F1} s");
    NpgsqlConnection.ClearAllPools();
    var entriesSeconds = await Entries.CreateAsync(options, baseDb, options.Users);
    Console.WriteLine($"A node's first start added {options.Users:N0} catchup: entries in {entriesSeconds:F1} s");
    NpgsqlConnection.ClearAllPools();

    var one = await Scenario.RunAsync(server, options, simulator, simUrl, nodes: 1);
    var two = await Scenario.RunAsync(server, options, simulator, simUrl, nodes: 2);
    var report = Report.Write(options, one, two, started.Elapsed, entriesSeconds);
    Console.WriteLine();
    Console.WriteLine(report);
    await File.WriteAllTextAsync(options.Results, report);
    return new[] { one.First, one.Next, two.First, two.Next }.Sum(r => r.Failed) == 0 ? 0 : 1;
}
finally
{
    Processes.Stop(simulator);
    NpgsqlConnection.ClearAllPools();
    await server.StopAsync();
    try
    {
        Directory.Delete(pgDir, recursive: true);
    }
    catch (IOException)
    {
    }
    catch (UnauthorizedAccessException)
    {
    }
}

