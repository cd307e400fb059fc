using System.Text.Json;
using Npgsql;
using PayTrack.Web.Data;

namespace PayTrack.Web.Live;

/// <summary>Publishes live events to every PayTrack node with PostgreSQL NOTIFY.</summary>
public interface ILiveNotifier
{
    Task PublishAsync(LiveEvent liveEvent, CancellationToken cancellationToken = default);
}

/// <summary>
/// NOTIFY on one channel, and a background LISTEN that hands what arrives to this node's <see cref="LiveBroker"/>.
/// The listener reconnects after a lost connection; events sent while it was away are not replayed, which is fine
/// for pages that re-read their numbers on the next event or reload.
/// </summary>
public sealed partial class PostgresLiveNotifier(NpgsqlDataSource dataSource, LiveBroker broker, ILogger<PostgresLiveNotifier> logger)
    : BackgroundService, ILiveNotifier
{
    public const string Channel = "paytrack_live";
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once this node is listening; tests wait on it instead of sleeping.</summary>
    public Task Listening => _listening.Task;

    public async Task PublishAsync(LiveEvent liveEvent, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT pg_notify(@channel, @payload)");
        command.Parameters.AddWithValue("channel", Channel);
        command.Parameters.AddWithValue("payload", JsonSerializer.Serialize(liveEvent, LiveJsonContext.Default.LiveEvent));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, e) => OnNotification(e.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                _listening.TrySetResult();
                delay = TimeSpan.FromSeconds(1);
                try
                {
                    while (!stoppingToken.IsCancellationRequested)
                    {
                        await connection.WaitAsync(stoppingToken);
                    }
                }
                finally
                {
                    await UnlistenAsync(connection);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or System.Net.Sockets.SocketException)
            {
                LogListenFailed(logger, ex.Message, delay.TotalSeconds);
                await Task.Delay(delay, stoppingToken);
                delay = DatabaseBackoff.Next(delay, TimeSpan.FromSeconds(30));
            }
        }
    }

    /// <summary>The pool does not reset its connections (DataExtensions.WithPoolDefaults): this one goes back listening to nothing.</summary>
    private static async Task UnlistenAsync(NpgsqlConnection connection)
    {
        try
        {
            await using var unlisten = new NpgsqlCommand("UNLISTEN *", connection);
            await unlisten.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or System.Net.Sockets.SocketException)
        {
            // A broken connection is not reused.
        }
    }

    private void OnNotification(string payload)
    {
        try
        {
            if (JsonSerializer.Deserialize(payload, LiveJsonContext.Default.LiveEvent) is { } liveEvent)
            {
                broker.Dispatch(liveEvent);
            }
        }
        catch (JsonException ex)
        {
            LogBadPayload(logger, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Live updates: LISTEN failed ({Reason}); retrying in {Seconds} s")]
    private static partial void LogListenFailed(ILogger logger, string reason, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Live updates: ignored a malformed notification ({Reason})")]
    private static partial void LogBadPayload(ILogger logger, string reason);
}
