using System.Diagnostics;
using Hangfire;
using Hangfire.Common;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Hangfire.States;
using PayTrack.Web.LocalPostgres;
using PayTrack.Web.Sync;

namespace PayTrack.Bench.UpdatePunches;

/// <summary>
/// The floor under "CPU per user": the cost of one Hangfire job per user with nothing else in it. On the warm one-node
/// setup, after its next-day sweep, the bench enqueues one user job per user for a run that does not exist, as the sweep
/// enqueues them (same job, same queue, same serializer, no client filters, as PayTrack's). The node's workers take each
/// one: Hangfire fetches it, moves it to Processing, PayTrack's job asks for its run (one statement, no row) and returns,
/// and Hangfire moves it to Succeeded. No Kronos request, no ingest. The node's and PostgreSQL's CPU over that, per job,
/// is what the daily update costs before it does any work; the enqueueing client's own CPU (this process) is left out.
/// </summary>
internal static class Floor
{
    /// <summary>The run every floor job asks for: run ids start at 1, so none has it.</summary>
    private const long NoRun = 0;

    public static async Task<FloorResult> RunAsync(LocalPostgresServer server, Process node, string db, int jobs)
    {
        GlobalConfiguration.Configuration.SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings();
        var storageOptions = new PostgreSqlStorageOptions { SchemaName = SyncExtensions.Schema, PrepareSchemaIfNecessary = false };
        var storage = new PostgreSqlStorage(new NpgsqlConnectionFactory(db, storageOptions), storageOptions);
        var client = new BackgroundJobClient(storage, new JobFilterCollection());
        var queue = new SyncOptions().UpdateQueue;

        var (nodeBefore, pgBefore) = (Cpu.Of(node), Cpu.OfPostgres(server));
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, jobs), new ParallelOptions { MaxDegreeOfParallelism = 4 }, (_, _) =>
        {
            client.Create(Job.FromExpression<UpdatePunchesJobs>(j => j.UserAsync(NoRun, null, CancellationToken.None), queue), new EnqueuedState(queue));
            return ValueTask.CompletedTask;
        });
        // Done when the queue is empty (a job leaves it when it ends), polled as the sweeps are; then all must have succeeded.
        await Sql.WaitAsync(db, $"SELECT count(*) = 0 FROM {SyncExtensions.Schema}.jobqueue WHERE queue = '{queue}'", TimeSpan.FromMinutes(15));
        var result = new FloorResult(jobs, clock.Elapsed.TotalSeconds, Cpu.Of(node) - nodeBefore, Cpu.OfPostgres(server) - pgBefore);
        var succeeded = await Sql.ScalarAsync<long>(db,
            $"SELECT count(*) FROM {SyncExtensions.Schema}.job WHERE statename = 'Succeeded' AND invocationdata::text LIKE '%UserAsync%' AND arguments::jsonb->>0 = '{NoRun}'");
        if (succeeded != jobs)
        {
            throw new InvalidOperationException($"Only {succeeded} of the floor's {jobs} jobs succeeded.");
        }

        Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"Floor: {jobs:N0} empty user jobs in {result.WallSeconds:F1} s; CPU per job: node {result.NodeMsPerJob:F2} ms, PostgreSQL {result.PostgresMsPerJob:F2} ms"));
        return result;
    }
}

internal sealed record FloorResult(int Jobs, double WallSeconds, double NodeCpuSeconds, double PostgresCpuSeconds)
{
    public double NodeMsPerJob => NodeCpuSeconds * 1000 / Jobs;

    public double PostgresMsPerJob => PostgresCpuSeconds * 1000 / Jobs;
}
