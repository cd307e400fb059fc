using System.Diagnostics;
using Hangfire;
using Hangfire.Common;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Hangfire.States;
using Npgsql;
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
        var ids = new long[jobs];
        await Parallel.ForEachAsync(Enumerable.Range(0, jobs), new ParallelOptions { MaxDegreeOfParallelism = 4 }, (i, _) =>
        {
            ids[i] = long.Parse(client.Create(Job.FromExpression<UpdatePunchesJobs>(j => j.UserAsync(0, null, CancellationToken.None), queue), new EnqueuedState(queue)),
                System.Globalization.CultureInfo.InvariantCulture);
            return ValueTask.CompletedTask;
        });
        // Done when the queue is empty (a job leaves it when it ends); then every one of them must have succeeded.
        await using (var connection = new NpgsqlConnection(db))
        {
            await connection.OpenAsync();
            var deadline = DateTime.UtcNow.AddMinutes(15);
            while (await ScalarAsync(connection, $"SELECT count(*) FROM {SyncExtensions.Schema}.jobqueue WHERE queue = @queue", ("queue", queue)) > 0)
            {
                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException("The floor's jobs did not all end within 15 minutes.");
                }

                await Task.Delay(1000);
            }

            var succeeded = await ScalarAsync(connection, $"SELECT count(*) FROM {SyncExtensions.Schema}.job WHERE id = ANY(@ids) AND statename = 'Succeeded'", ("ids", ids));
            if (succeeded != jobs)
            {
                throw new InvalidOperationException($"Only {succeeded} of the floor's {jobs} jobs succeeded.");
            }
        }

        var result = new FloorResult(jobs, clock.Elapsed.TotalSeconds, Cpu.Of(node) - nodeBefore, Cpu.OfPostgres(server) - pgBefore);
        Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"Floor: {jobs:N0} empty user jobs in {result.WallSeconds:F1} s; CPU per job: node {result.NodeMsPerJob:F2} ms, PostgreSQL {result.PostgresMsPerJob:F2} ms"));
        return result;
    }

    private static async Task<long> ScalarAsync(NpgsqlConnection connection, string sql, (string Name, object Value) parameter)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue(parameter.Name, parameter.Value);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}

internal sealed record FloorResult(int Jobs, double WallSeconds, double NodeCpuSeconds, double PostgresCpuSeconds)
{
    public double NodeMsPerJob => NodeCpuSeconds * 1000 / Jobs;

    public double PostgresMsPerJob => PostgresCpuSeconds * 1000 / Jobs;
}
