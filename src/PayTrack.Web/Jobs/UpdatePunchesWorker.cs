using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Npgsql;

namespace PayTrack.Web.Jobs;

/// <summary>
/// Every node's share of update-punches: it takes queued user updates (FOR UPDATE SKIP LOCKED, so nodes never take
/// the same user) as long as it has a free slot, with at most <see cref="JobsOptions.UpdateParallelism"/> users at
/// once. A node takes only as many as it has free slots, so two nodes split a sweep about evenly. It wakes on the
/// queue's NOTIFY, and looks every <see cref="JobsOptions.QueuePollInterval"/> in case a notification was missed.
/// </summary>
public sealed partial class UpdatePunchesWorker(
    JobRuns runs,
    JobEvents events,
    LeaseKeeper leases,
    IServiceScopeFactory scopes,
    NpgsqlDataSource dataSource,
    IOptions<JobsOptions> options,
    ILogger<UpdatePunchesWorker> logger) : BackgroundService
{
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>Wakes the worker now (this node queued work).</summary>
    public void Wake() => _wake.Writer.TryWrite(true);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var listener = ListenAsync(stoppingToken);
        var parallelism = options.Value.UpdateParallelism;
        using var slots = new SemaphoreSlim(parallelism, parallelism);
        using var stores = new SemaphoreSlim(parallelism, parallelism);
        var inFlight = new List<Task>();
        var sweeps = new HashSet<long>();
        var failures = 0;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var free = await TakeFreeSlotsAsync(slots, parallelism, stoppingToken);
                IReadOnlyList<RunClaim> claims = [];
                try
                {
                    claims = await runs.ClaimUpdatesAsync(free, stoppingToken);
                    failures = 0;
                }
                catch (Exception ex) when (ex is NpgsqlException or TimeoutException && !stoppingToken.IsCancellationRequested)
                {
                    LogQueueFailed(logger, ex.Message);
                    failures++;
                }

                if (free > claims.Count)
                {
                    slots.Release(free - claims.Count);
                }

                foreach (var claim in claims)
                {
                    inFlight.Add(ProcessAsync(claim, slots, stores, stoppingToken));
                    if (claim.SweepId is { } sweep)
                    {
                        sweeps.Add(sweep);
                    }
                }

                inFlight.RemoveAll(t => t.IsCompleted);
                if (claims.Count < free)
                {
                    // The queue ran dry: wait for new work, or for this node's last users to finish.
                    if (inFlight.Count == 0)
                    {
                        await CloseSweepsAsync(sweeps, stoppingToken);
                    }

                    await WaitForWorkAsync(failures, inFlight, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        // Users in flight hand their runs back to the queue as they see the cancellation.
        await Task.WhenAll(inFlight);
        await listener;
    }

    /// <summary>Waits for one free slot, then takes every other slot that is free too, to claim them in one statement.</summary>
    private static async Task<int> TakeFreeSlotsAsync(SemaphoreSlim slots, int parallelism, CancellationToken stoppingToken)
    {
        await slots.WaitAsync(stoppingToken);
        var free = 1;
        while (free < parallelism && slots.Wait(0, CancellationToken.None))
        {
            free++;
        }

        return free;
    }

    /// <summary>
    /// One user: the Kronos half holds one of the node's slots; the database half waits for one of as many store
    /// places and gives the slot back first, so a slow database never leaves Kronos slots idle, and a database that
    /// cannot keep up holds the slots until it can (no unbounded backlog).
    /// </summary>
    private async Task ProcessAsync(RunClaim claim, SemaphoreSlim slots, SemaphoreSlim stores, CancellationToken stoppingToken)
    {
        // Off the claiming loop's thread, so a slow first step of one user never delays taking the next.
        await Task.Yield();
        var holdsSlot = true;
        using (leases.Hold(claim.RunId))
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var updates = scope.ServiceProvider.GetRequiredService<UpdatePunchesService>();
                var fetched = await updates.FetchAsync(claim, stoppingToken);
                await stores.WaitAsync(stoppingToken);
                try
                {
                    slots.Release();
                    holdsSlot = false;
                    await updates.StoreAsync(claim, fetched, stoppingToken);
                }
                finally
                {
                    stores.Release();
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                await runs.ReleaseAsync(claim.RunId, retryLater: false, null, CancellationToken.None);
            }
            catch (Exception ex)
            {
                await RecordUnexpectedAsync(claim, ex);
            }
            finally
            {
                if (holdsSlot)
                {
                    slots.Release();
                }
            }
        }

        if (claim.SweepId is { } sweep && events.Due(sweep, sweep: true))
        {
            try
            {
                if (await runs.SnapshotAsync(sweep, CancellationToken.None) is { } progress)
                {
                    await events.ProgressAsync(progress);
                }
            }
            catch (NpgsqlException ex)
            {
                LogQueueFailed(logger, ex.Message);
            }
        }
    }

    /// <summary>One user's failure never stops the others; the run says what happened, the log says why.</summary>
    private async Task RecordUnexpectedAsync(RunClaim claim, Exception exception)
    {
        LogUserFailed(logger, exception, claim.RunId);
        try
        {
            await runs.FinishUpdateAsync(claim.RunId, JobStatus.Failed, RunCounts.None, null, null,
                "PayTrack hit an unexpected error while updating this account; the details are in the server log.", null, CancellationToken.None);
        }
        catch (NpgsqlException inner)
        {
            LogQueueFailed(logger, inner.Message);
        }
    }

    /// <summary>The sweeps this node worked on are done when no user of theirs is queued or running anywhere.</summary>
    private async Task CloseSweepsAsync(HashSet<long> sweeps, CancellationToken cancellationToken)
    {
        foreach (var sweep in sweeps.ToList())
        {
            try
            {
                if (await runs.TryFinishSweepAsync(sweep, cancellationToken) && await runs.SnapshotAsync(sweep, cancellationToken) is { } done)
                {
                    await events.FinishedAsync(done, dataChanged: false);
                }

                sweeps.Remove(sweep);
            }
            catch (NpgsqlException ex)
            {
                LogQueueFailed(logger, ex.Message);
            }
        }
    }

    private async Task WaitForWorkAsync(int failures, List<Task> inFlight, CancellationToken cancellationToken)
    {
        var wait = failures == 0 ? options.Value.QueuePollInterval : TimeSpan.FromSeconds(Math.Min(30, Math.Pow(2, failures)));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(wait);
        try
        {
            var woken = _wake.Reader.WaitToReadAsync(timeout.Token).AsTask();
            await (inFlight.Count == 0 ? woken : (Task)Task.WhenAny(woken, Task.WhenAll(inFlight)));
            _wake.Reader.TryRead(out _);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>LISTEN on the queue's channel; any notification wakes the loop. Reconnects after a lost connection.</summary>
    private async Task ListenAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        var delay = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, _) => Wake();
                await using (var listen = new NpgsqlCommand($"LISTEN {JobRuns.QueueChannel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                delay = TimeSpan.FromSeconds(1);
                // Work queued while this node was not listening is found by the first look after (re)connecting.
                Wake();
                while (!stoppingToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or System.Net.Sockets.SocketException)
            {
                LogQueueFailed(logger, ex.Message);
                try
                {
                    await Task.Delay(delay, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                delay = TimeSpan.FromSeconds(Math.Min(30, delay.TotalSeconds * 2));
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Update-punches queue: {Reason}")]
    private static partial void LogQueueFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Update-punches run {RunId} failed unexpectedly")]
    private static partial void LogUserFailed(ILogger logger, Exception exception, long runId);
}
