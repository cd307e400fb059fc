using System.Diagnostics;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PayTrack.IngestBench;
using PayTrack.Web.Data;
using PayTrack.Web.Kronos;
using PayTrack.Web.Timecards;

var settings = BenchSettings.Parse(args);
Console.WriteLine($"Ingest benchmark: {settings.Punches:N0} punches for {settings.Users} users, {Environment.ProcessorCount} cores.");

await using var database = await BenchDatabase.StartAsync();
await using (var db = new PayTrackDbContext(new DbContextOptionsBuilder<PayTrackDbContext>().UseNpgsql(database.ConnectionString).Options))
{
    await db.Database.MigrateAsync();
}

var phases = new PhaseRecorder();
var services = new ServiceCollection()
    .AddSingleton(TimeProvider.System)
    .AddLogging(logging => logging.AddProvider(phases))
    .AddSingleton<TimecardDatabase>()
    .AddScoped<TimecardIngest>();
services.AddPooledDbContextFactory<PayTrackDbContext>(o => o.UseNpgsql(database.ConnectionString));
services.AddOptions<TimecardOptions>();
await using var provider = services.BuildServiceProvider();

// The input: one Kronos answer per user, as JSON bytes, made before any clock runs.
var users = await BenchData.CreateUsersAsync(database.ConnectionString, settings.Users);
var files = users.Select((user, i) => BenchData.Timecard(i, settings.Punches / settings.Users)).ToList();
var rows = files.Select(f => JsonSerializer.Deserialize(f, KronosJsonContext.Default.BackupFile)!).ToList();
var postgres = await database.ScalarAsync("SHOW server_version");
Console.WriteLine($"Input: {files.Sum(f => (long)f.Length) / 1024 / 1024:N0} MB of JSON; PostgreSQL {postgres}.");

// 1. The yardstick: the same punches, already parsed, binary-COPYed into a table without keys or indexes.
await database.ExecuteAsync("""
    CREATE TABLE bare_punches (user_id text, employee_id bigint, pay_rule_id bigint, punch_id text, in_at timestamptz, out_at timestamptz,
        end_reason text, in_rounded timestamptz, out_rounded timestamptz, time_zone text, edited boolean, updated_on timestamptz);
    CHECKPOINT;
    """);
var copyClock = Stopwatch.StartNew();
var copied = await BenchData.CopyBareAsync(database.ConnectionString, users, rows);
copyClock.Stop();

// 1b. How long parsing the same JSON takes on its own (the COPY above started from parsed rows).
var parseClock = Stopwatch.StartNew();
foreach (var file in files)
{
    GC.KeepAlive(JsonSerializer.Deserialize(file, KronosJsonContext.Default.BackupFile));
}

parseClock.Stop();

// 2. PayTrack's ingest: parse each answer, clean, stage with binary COPY, merge, write shifts; one transaction per user.
// The clock runs only around the calls; between them a full collection lets each call's heap peak be measured on its own.
rows.Clear();
await database.ExecuteAsync("CHECKPOINT");
var ingestClock = new Stopwatch();
long ingested = 0;
long ingestPeak = 0;
for (var i = 0; i < users.Count; i++)
{
    var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
    using var sampler = new HeapSampler();
    ingestClock.Start();
    var file = JsonSerializer.Deserialize(files[i], KronosJsonContext.Default.BackupFile)!;
    await using var scope = provider.CreateAsyncScope();
    var result = await scope.ServiceProvider.GetRequiredService<TimecardIngest>().IngestAsync(
        users[i], file.Employee, file.Timecards.Select(t => (t.EmployeeId, t.PayRuleId, t.Periods)).ToList(), IngestSource.Kronos, "America/New_York", CancellationToken.None);
    ingestClock.Stop();
    ingestPeak = Math.Max(ingestPeak, sampler.Stop() - heapBefore);
    if (!result.Succeeded || result.New != file.Timecards.Sum(t => t.Periods.Sum(p => p.Days.Sum(d => d.Punches.Count))))
    {
        throw new InvalidOperationException("The ingest did not store every punch: " + result.Summary);
    }

    ingested += result.New;
}

var shifts = await database.ScalarAsync("SELECT count(*) FROM shifts");

var copyRate = copied / copyClock.Elapsed.TotalSeconds;
var ingestRate = ingested / ingestClock.Elapsed.TotalSeconds;
var report = new BenchReport(settings, Environment.ProcessorCount, postgres, copied, copyClock.Elapsed, parseClock.Elapsed, ingested, ingestClock.Elapsed, shifts, copyRate, ingestRate,
    ingestPeak, Process.GetCurrentProcess().PeakWorkingSet64, files.Sum(f => (long)f.Length), phases.Totals());
Console.WriteLine(report.Text());
if (settings.ResultsFile is not null)
{
    await File.WriteAllTextAsync(settings.ResultsFile, report.Markdown());
    Console.WriteLine($"Wrote {settings.ResultsFile}.");
}

return 0;
