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
        var inFlight = new List<Task>();
        var sweeps = new HashSet<long>();
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            var free = parallelism - inFlight.Count;
            var claimed = 0;
            if (free > 0)
            {
                try
                {
                    var claims = await runs.ClaimUpdatesAsync(free, stoppingToken);
                    failures = 0;
                    claimed = claims.Count;
                    foreach (var claim in claims)
                    {
                        inFlight.Add(ProcessAsync(claim, stoppingToken));
                        if (claim.SweepId is { } sweep)
                        {
                            sweeps.Add(sweep);
                        }
                    }
                }
                catch (Exception ex) when (ex is NpgsqlException or TimeoutException && !stoppingToken.IsCancellationRequested)
                {
                    LogQueueFailed(logger, ex.Message);
                    failures++;
                }
            }

            try
            {
                await PauseAsync(inFlight, sweeps, full: claimed == free && failures == 0, failures, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }

            inFlight.RemoveAll(t => t.IsCompleted);
        }

        // Users in flight hand their runs back to the queue as they see the cancellation.
        await Task.WhenAll(inFlight);
        await listener;
    }

    /// <summary>Until there may be something to do: a free slot when full, new work or a free slot when the queue ran dry.</summary>
    private async Task PauseAsync(List<Task> inFlight, HashSet<long> sweeps, bool full, int failures, CancellationToken stoppingToken)
    {
        if (inFlight.Count == 0)
        {
            await CloseSweepsAsync(sweeps, stoppingToken);
            await WaitForWorkAsync(failures, stoppingToken);
        }
        else if (full)
        {
            await Task.WhenAny(inFlight);
        }
        else
        {
            await Task.WhenAny(Task.WhenAny(inFlight), _wake.Reader.WaitToReadAsync(stoppingToken).AsTask());
            _wake.Reader.TryRead(out _);
        }
    }

    private async Task ProcessAsync(RunClaim claim, CancellationToken stoppingToken)
    {
        // Off the claiming loop's thread, so a slow first step of one user never delays taking the next.
        await Task.Yield();
        using var lease = leases.Hold(claim.RunId);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<UpdatePunchesService>().UpdateUserAsync(claim, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            await runs.ReleaseAsync(claim.RunId, retryLater: false, CancellationToken.None);
        }
        catch (Exception ex)
        {
            // One user's failure never stops the others; the run says what happened, the log says why.
            LogUserFailed(logger, ex, claim.RunId);
            try
            {
                await runs.FinishUpdateAsync(claim.RunId, JobStatus.Failed, RunCounts.None, null, null,
                    "PayTrack hit an unexpected error while updating this account; the details are in the server log.", CancellationToken.None);
            }
            catch (NpgsqlException inner)
            {
                LogQueueFailed(logger, inner.Message);
            }
        }

        if (claim.SweepId is { } sweep && events.Due(sweep))
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

    private async Task WaitForWorkAsync(int failures, CancellationToken cancellationToken)
    {
        var wait = failures == 0 ? options.Value.QueuePollInterval : TimeSpan.FromSeconds(Math.Min(30, Math.Pow(2, failures)));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(wait);
        try
        {
            await _wake.Reader.WaitToReadAsync(timeout.Token);
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
