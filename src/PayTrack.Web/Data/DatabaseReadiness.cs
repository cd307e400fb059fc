using Microsoft.Extensions.Options;
using Npgsql;

namespace PayTrack.Web.Data;

/// <summary>How long PayTrack waits at start for its PostgreSQL to take connections. Settings: PayTrack:Database.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "PayTrack:Database";

    public TimeSpan WaitAtStart { get; set; } = TimeSpan.FromSeconds(60);
}

/// <summary>PayTrack cannot use its database; the message says why in one sentence an operator can act on.</summary>
public sealed class DatabaseUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Before PayTrack starts (the server or a command) its PostgreSQL must take connections. A server still starting, not
/// yet listening or out of sessions is waited for, up to <see cref="DatabaseOptions.WaitAtStart"/>; one that refuses for
/// good (a wrong password, no such database) stops PayTrack at once. Either way with one sentence naming the server,
/// never the password, and no stack trace.
/// </summary>
public static partial class DatabaseReadiness
{
    private const string Fix = "Check ConnectionStrings__PayTrack and that the server is running.";

    public static async Task WaitAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        var dataSource = services.GetRequiredService<NpgsqlDataSource>();
        var time = services.GetRequiredService<TimeProvider>();
        var wait = services.GetRequiredService<IOptions<DatabaseOptions>>().Value.WaitAtStart;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DatabaseReadiness));
        var server = Describe(dataSource.ConnectionString);
        var deadline = time.GetUtcNow() + wait;
        var pause = TimeSpan.FromMilliseconds(250);
        var told = false;
        while (true)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
                return;
            }
            catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.InvalidPassword or PostgresErrorCodes.InvalidAuthorizationSpecification)
            {
                throw new DatabaseUnavailableException($"PayTrack did not start: {server} refused its user name or password. Check ConnectionStrings__PayTrack.", ex);
            }
            catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.InvalidCatalogName)
            {
                throw new DatabaseUnavailableException($"PayTrack did not start: {server} has no such database. Create it, or check ConnectionStrings__PayTrack.", ex);
            }
            catch (NpgsqlException ex) when (IsForNow(ex))
            {
                if (time.GetUtcNow() >= deadline)
                {
                    throw new DatabaseUnavailableException($"PayTrack did not start: {server} did not take connections within {wait.TotalSeconds:0} s ({Reason(ex)}). {Fix}", ex);
                }

                if (!told)
                {
                    LogWaiting(logger, server, Reason(ex), wait.TotalSeconds);
                    told = true;
                }

                await Task.Delay(pause, time, cancellationToken);
                pause = DatabaseBackoff.Next(pause, TimeSpan.FromSeconds(5));
            }
            catch (NpgsqlException ex)
            {
                throw new DatabaseUnavailableException($"PayTrack did not start: {server} refused it ({Reason(ex)}). {Fix}", ex);
            }
        }
    }

    /// <summary>The connection string as PayTrack reads it; a string the driver cannot read stops PayTrack with one sentence.</summary>
    public static NpgsqlConnectionStringBuilder Read(string connectionString)
    {
        try
        {
            return new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidCastException or KeyNotFoundException)
        {
            // The driver's words may quote the string, password included: they are not repeated.
            throw new DatabaseUnavailableException(
                "PayTrack did not start: ConnectionStrings__PayTrack is not a PostgreSQL connection string it can read (Host=...;Port=...;Database=...;Username=...;Password=...).", ex);
        }
    }

    private static bool IsForNow(NpgsqlException ex) => ex switch
    {
        // Starting up, shutting down, or out of sessions: the same server takes connections again soon.
        PostgresException p => p.SqlState is PostgresErrorCodes.CannotConnectNow or PostgresErrorCodes.TooManyConnections or PostgresErrorCodes.AdminShutdown,
        // Not listening yet, or not answering: no PostgreSQL error at all.
        _ => true,
    };

    private static string Reason(NpgsqlException ex) => ex switch
    {
        PostgresException p => p.MessageText,
        { InnerException: System.Net.Sockets.SocketException socket } => socket.SocketErrorCode switch
        {
            System.Net.Sockets.SocketError.ConnectionRefused => "nothing listens there",
            System.Net.Sockets.SocketError.HostNotFound or System.Net.Sockets.SocketError.NoData or System.Net.Sockets.SocketError.TryAgain => "no such host",
            _ => "the network did not reach it",
        },
        { InnerException: TimeoutException } => "it did not answer in time",
        _ => "it did not answer",
    };

    private static string Describe(string connectionString)
    {
        var settings = new NpgsqlConnectionStringBuilder(connectionString);
        return $"PostgreSQL at {settings.Host}:{settings.Port} (database {settings.Database}, user {settings.Username})";
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Waiting for {Server}: {Reason}; trying again for up to {Seconds} s")]
    private static partial void LogWaiting(ILogger logger, string server, string reason, double seconds);
}
