using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace PayTrack.Web.Jobs;

/// <summary>
/// Renews the leases of the runs this process holds, three times per lease timeout, in one statement. It runs in the
/// web server and in the foreground <c>catchup</c> command alike, so it starts with the first run it is given rather
/// than as a hosted service.
/// </summary>
public sealed partial class LeaseKeeper(JobRuns runs, IOptions<JobsOptions> options, ILogger<LeaseKeeper> logger) : IDisposable
{
    private readonly ConcurrentDictionary<long, byte> _held = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _startLock = new();
    private Task? _loop;

    /// <summary>Keeps the run's lease alive until the returned handle is disposed.</summary>
    public IDisposable Hold(long runId)
    {
        _held[runId] = 0;
        lock (_startLock)
        {
            _loop ??= Task.Run(() => RenewAsync(_stop.Token));
        }

        return new Handle(this, runId);
    }

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
    }

    private async Task RenewAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(options.Value.LeaseTimeout / 3);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                try
                {
                    await runs.HeartbeatAsync(_held.Keys.ToArray(), cancellationToken);
                }
                catch (Exception ex) when (ex is Npgsql.NpgsqlException or TimeoutException)
                {
                    // A missed renewal is survivable: the lease only lapses after three in a row.
                    LogRenewFailed(logger, ex.Message);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Jobs: could not renew run leases ({Reason})")]
    private static partial void LogRenewFailed(ILogger logger, string reason);

    private sealed class Handle(LeaseKeeper keeper, long runId) : IDisposable
    {
        public void Dispose() => keeper._held.TryRemove(runId, out _);
    }
}
