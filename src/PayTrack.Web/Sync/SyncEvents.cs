using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Npgsql;
using PayTrack.Web.Data;
using PayTrack.Web.Live;

namespace PayTrack.Web.Sync;

/// <summary>A run's progress as the pages' progress bars read it (wwwroot/js/app.js).</summary>
public sealed record SyncEvent(
    [property: JsonPropertyName("runId")] long RunId,
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("user")] string? User,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("done")] int Done,
    [property: JsonPropertyName("total")] int Total,
    [property: JsonPropertyName("failed")] int Failed,
    [property: JsonPropertyName("punches")] int Punches,
    [property: JsonPropertyName("new")] int New,
    [property: JsonPropertyName("changed")] int Changed,
    [property: JsonPropertyName("unchanged")] int Unchanged,
    [property: JsonPropertyName("range")] string? Range,
    [property: JsonPropertyName("error")] string? Error)
{
    /// <summary>The run's user, so a page can tell its own user's runs from the others an administrator sees.</summary>
    [JsonPropertyName("userId")]
    public string? UserId { get; init; }

    /// <summary>An update-punches run over every user (its steps are users, not chunks).</summary>
    [JsonPropertyName("sweep")]
    public bool Sweep { get; init; }

    [JsonPropertyName("label")]
    public string Label => SyncText.Progress(this);

    public static SyncEvent From(RunSnapshot run, string? user = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        var range = run.RangeStart is { } s && run.RangeEnd is { } e
            ? string.Create(CultureInfo.InvariantCulture, $"{s:yyyy-MM-dd} – {e:yyyy-MM-dd}")
            : null;
        return new SyncEvent(run.RunId, SyncRuns.Name(run.Kind), user, SyncRuns.Name(run.Status), run.StepsDone, run.StepsTotal,
            run.FailedCount, run.Counts.Fetched, run.Counts.New, run.Counts.Changed, run.Counts.Unchanged, range, run.Error)
        {
            UserId = run.UserId,
            Sweep = run.UserId is null,
        };
    }
}

[JsonSerializable(typeof(SyncEvent))]
internal sealed partial class SyncEventJsonContext : JsonSerializerContext;

/// <summary>
/// Sends job progress through <see cref="ILiveNotifier"/> (PostgreSQL NOTIFY, so every node's streams get it): to the
/// run's user, and to administrators with the user's e-mail. Progress is sent at most four times a second per run (a
/// sweep's once a second);
/// a run's last word always goes out. A failure to publish never fails the job.
/// </summary>
public sealed partial class SyncEvents(ILiveNotifier notifier, NpgsqlDataSource dataSource, ILogger<SyncEvents> logger)
{
    private static readonly TimeSpan MinInterval = TimeSpan.FromMilliseconds(250);

    // A sweep's numbers are counted over thousands of rows; once a second is plenty for its bar.
    private static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(1);

    // Throttling is about how often browsers are written to: real time, not the application's business clock.
    private readonly TimeProvider _clock = TimeProvider.System;
    private readonly ConcurrentDictionary<long, long> _lastSent = new();
    private readonly ConcurrentDictionary<string, string> _emails = new(StringComparer.Ordinal);

    public async Task ProgressAsync(RunSnapshot run, bool force = false)
    {
        ArgumentNullException.ThrowIfNull(run);
        var now = _clock.GetTimestamp();
        if (!force && _lastSent.TryGetValue(run.RunId, out var last) && _clock.GetElapsedTime(last, now) < Interval(run.UserId is null))
        {
            return;
        }

        _lastSent[run.RunId] = now;
        await PublishAsync(LiveEvent.JobProgress, run, toUser: run.Kind == SyncKind.Catchup);
    }

    /// <summary>A run's last word; a catchup's always reaches its user's pages, another run's when <paramref name="toUser"/>.</summary>
    public async Task FinishedAsync(RunSnapshot run, bool dataChanged, bool toUser = false)
    {
        ArgumentNullException.ThrowIfNull(run);
        _lastSent.TryRemove(run.RunId, out _);
        await PublishAsync(LiveEvent.JobFinished, run, toUser: toUser || run.Kind == SyncKind.Catchup);
        if (dataChanged && run.UserId is not null)
        {
            await DataChangedAsync(run.UserId);
        }
    }

    /// <summary>Tells the user's open pages that their numbers changed.</summary>
    public Task DataChangedAsync(string userId) => SendAsync(LiveEvent.Changed(userId, "sync"));

    /// <summary>Whether a progress event for this run would be sent now, to skip reading its numbers when not.</summary>
    public bool Due(long runId, bool sweep = false) =>
        !_lastSent.TryGetValue(runId, out var last) || _clock.GetElapsedTime(last) >= Interval(sweep);

    private static TimeSpan Interval(bool sweep) => sweep ? SweepInterval : MinInterval;

    private async Task PublishAsync(string kind, RunSnapshot run, bool toUser)
    {
        try
        {
            var body = SyncEvent.From(run);
            if (toUser && run.UserId is not null)
            {
                await SendAsync(new LiveEvent(kind, run.UserId, JsonSerializer.Serialize(body, SyncEventJsonContext.Default.SyncEvent)));
            }

            var email = run.UserId is null ? null : await EmailAsync(run.UserId);
            await SendAsync(new LiveEvent(kind, null, JsonSerializer.Serialize(body with { User = email }, SyncEventJsonContext.Default.SyncEvent)));
        }
        catch (NpgsqlException ex)
        {
            LogPublishFailed(logger, run.RunId, ex.Message);
        }
    }

    private async Task SendAsync(LiveEvent liveEvent)
    {
        try
        {
            await notifier.PublishAsync(liveEvent);
        }
        catch (NpgsqlException ex)
        {
            LogPublishFailed(logger, 0, ex.Message);
        }
    }

    private async Task<string?> EmailAsync(string userId)
    {
        if (_emails.TryGetValue(userId, out var cached))
        {
            return cached;
        }

        await using var command = dataSource.CreateCommand("SELECT coalesce(email, user_name) FROM identity_users WHERE id = @id");
        command.Parameters.AddWithValue("id", userId);
        var email = await command.ExecuteScalarAsync() as string;
        if (email is not null)
        {
            if (_emails.Count > 10_000)
            {
                _emails.Clear();
            }

            _emails[userId] = email;
        }

        return email;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sync: could not publish progress of run {RunId} ({Reason})")]
    private static partial void LogPublishFailed(ILogger logger, long runId, string reason);
}
