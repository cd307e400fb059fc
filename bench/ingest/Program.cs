using System.Diagnostics;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using PayTrack.IngestBench;
using PayTrack.Web.Data;
using PayTrack.Web.Kronos;
using PayTrack.Web.Timecards;

var settings = BenchSettings.Parse(args);
Console.WriteLine($"Ingest benchmark: {settings.Punches:N0} punches for {settings.Users} users, best of {settings.Rounds} rounds, {Environment.ProcessorCount} cores.");

await using var database = await BenchDatabase.StartAsync();
await using (var db = new PayTrackDbContext(new DbContextOptionsBuilder<PayTrackDbContext>().UseNpgsql(database.ConnectionString).Options))
{
    await db.Database.MigrateAsync();
}

var phases = new PhaseRecorder(settings.Verbose);
// One data source for EF Core and the ingest's own SQL, as in PayTrack (Data/DataExtensions).
await using var dataSource = NpgsqlDataSource.Create(database.ConnectionString);
var services = new ServiceCollection()
    .AddSingleton(TimeProvider.System)
    .AddSingleton(dataSource)
    .AddLogging(logging => logging.AddProvider(phases))
    .AddSingleton<TimecardDatabase>()
    .AddScoped<TimecardIngest>();
services.AddPooledDbContextFactory<PayTrackDbContext>(o => o.UseNpgsql(dataSource));
services.AddOptions<TimecardOptions>();
await using var provider = services.BuildServiceProvider();

// The input: one Kronos answer per user, as JSON bytes, made before any clock runs.
var files = Enumerable.Range(0, settings.Users).Select(i => BenchData.Timecard(i, settings.Punches / settings.Users)).ToList();
var rows = files.Select(f => JsonSerializer.Deserialize(f, KronosJsonContext.Default.BackupFile)!).ToList();
var postgres = await database.ScalarAsync("SHOW server_version");
Console.WriteLine($"Input: {files.Sum(f => (long)f.Length) / 1024 / 1024:N0} MB of JSON; PostgreSQL {postgres}.");
await database.ExecuteAsync("""
    CREATE TABLE bare_punches (user_id text, employee_id bigint, pay_rule_id bigint, punch_id text, in_at timestamptz, out_at timestamptz,
        end_reason text, in_rounded timestamptz, out_rounded timestamptz, time_zone text, edited boolean, updated_on timestamptz);
    """);

// Both paths run once on a small warm-up user first, so neither pays for JIT compilation inside its measurement.
var warmUsers = await BenchData.CreateUsersAsync(database.ConnectionString, 1);
var warmFile = BenchData.Timecard(settings.Users + 1, 2_000);
await BenchData.CopyBareAsync(database.ConnectionString, warmUsers, [JsonSerializer.Deserialize(warmFile, KronosJsonContext.Default.BackupFile)!]);
await IngestAllAsync(warmUsers, [warmFile], expectNew: true);

var parseClock = Stopwatch.StartNew();
foreach (var file in files)
{
    GC.KeepAlive(JsonSerializer.Deserialize(file, KronosJsonContext.Default.BackupFile));
}

parseClock.Stop();

var rounds = new List<BenchRound>();
List<string> users = [];
for (var round = 1; round <= settings.Rounds; round++)
{
    // 1. The yardstick: the same punches, already parsed, binary-COPYed into a table without keys or indexes.
    users = await BenchData.CreateUsersAsync(database.ConnectionString, settings.Users);
    await database.ExecuteAsync("TRUNCATE bare_punches; CHECKPOINT");
    var copyClock = Stopwatch.StartNew();
    var copied = await BenchData.CopyBareAsync(database.ConnectionString, users, rows);
    copyClock.Stop();

    // 2. PayTrack's ingest of the same answers for new users: parse, clean, stage with binary COPY, merge, write shifts.
    await database.ExecuteAsync("CHECKPOINT");
    phases.Reset();
    var (ingested, ingestTime, heapPeak) = await IngestAllAsync(users, files, expectNew: true);
    var totals = phases.Totals();

    // 3. The floor: the same rows, parsed and cleaned outside the clock, COPYed into raw_punches and shifts for other new users.
    var floorUsers = await BenchData.CreateUsersAsync(database.ConnectionString, settings.Users);
    await database.ExecuteAsync("CHECKPOINT");
    var (floored, floorTime) = await BenchData.CopyIntoTablesAsync(dataSource, floorUsers, rows);
    rounds.Add(new BenchRound(copied, copyClock.Elapsed, ingested, ingestTime, heapPeak, totals, floored, floorTime));
    Console.WriteLine(rounds[^1].Text(round));
}

// 4. The last round's answers again, as a repeated sync sees them: every punch is compared and nothing is written.
var (unchanged, againTime, _) = await IngestAllAsync(users, files, expectNew: false);

var report = new BenchReport(settings, Environment.ProcessorCount, postgres, parseClock.Elapsed, rounds, unchanged, againTime,
    Process.GetCurrentProcess().PeakWorkingSet64, files.Sum(f => (long)f.Length));
Console.WriteLine(report.Text());
if (settings.ResultsFile is not null)
{
    await File.WriteAllTextAsync(settings.ResultsFile, report.Markdown());
    Console.WriteLine($"Wrote {settings.ResultsFile}.");
}

return 0;

// One transaction per user. The clock runs only around the calls; before each, a full collection lets the call's own
// heap peak be measured.
async Task<(long Punches, TimeSpan Time, long HeapPeak)> IngestAllAsync(IReadOnlyList<string> userIds, IReadOnlyList<byte[]> answers, bool expectNew)
{
    var clock = new Stopwatch();
    long punches = 0;
    long peak = 0;
    for (var i = 0; i < userIds.Count; i++)
    {
        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        using var sampler = new HeapSampler();
        clock.Start();
        var file = JsonSerializer.Deserialize(answers[i], KronosJsonContext.Default.BackupFile)!;
        await using var scope = provider.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<TimecardIngest>().IngestAsync(
            userIds[i], file.Employee, file.Timecards, IngestSource.Kronos, "America/New_York", CancellationToken.None);
        clock.Stop();
        peak = Math.Max(peak, sampler.Stop() - heapBefore);
        var listed = file.Timecards.Sum(t => t.Periods.Sum(p => p.Days.Sum(d => d.Punches.Count)));
        if (!result.Succeeded || (expectNew ? result.New : result.Unchanged) != listed || (!expectNew && result.ShiftsWritten != 0))
        {
            throw new InvalidOperationException("Unexpected ingest result: " + result.Summary);
        }

        punches += listed;
    }

    return (punches, clock.Elapsed, peak);
}
