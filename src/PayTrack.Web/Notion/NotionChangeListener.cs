using System.Threading.Channels;
using PayTrack.Web.Live;

namespace PayTrack.Web.Notion;

/// <summary>
/// Follows every user's "data changed" events (they reach each node through PostgreSQL NOTIFY, whichever process made
/// the change: a sync, an import, the shift form, the settings page, a command) and asks for a Notion sync of that user.
/// Every node hears every event; the request is recorded in the user's Notion connection, so only the first node to
/// record it schedules the job.
/// </summary>
public sealed partial class NotionChangeListener(LiveBroker broker, IServiceScopeFactory scopes, ILogger<NotionChangeListener> logger) : BackgroundService
{
    // Users whose data changed, in order; a burst for one user is asked once per pass.
    private readonly Channel<string> _changed = Channel.CreateBounded<string>(new BoundedChannelOptions(10_000)
    {
        FullMode = BoundedChannelFullMode.DropOldest,
        SingleReader = true,
    });

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var subscription = broker.SubscribeToEveryUser(e =>
        {
            if (e.Kind == LiveEvent.DataChanged && e.UserId is { } userId)
            {
                _changed.Writer.TryWrite(userId);
            }
        });

        try
        {
            while (await _changed.Reader.WaitToReadAsync(stoppingToken))
            {
                var users = new HashSet<string>(StringComparer.Ordinal);
                while (_changed.Reader.TryRead(out var userId))
                {
                    users.Add(userId);
                }

                foreach (var userId in users)
                {
                    await AskAsync(userId, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task AskAsync(string userId, CancellationToken stoppingToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<NotionSyncJob>().AskAsync(userId, stoppingToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The database is away for a moment: this change's sync is asked again by the next change.
            LogAskFailed(logger, ex, userId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not ask for a Notion sync of user {UserId}")]
    private static partial void LogAskFailed(ILogger logger, Exception exception, string userId);
}
