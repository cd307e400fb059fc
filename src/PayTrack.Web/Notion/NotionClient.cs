using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace PayTrack.Web.Notion;

/// <summary>Where and as whom to call Notion: the API's root and an integration token (never logged).</summary>
public sealed record NotionSession(string BaseUrl, string Token);

/// <summary>What went wrong with a call, in the classes the sync acts on.</summary>
public enum NotionFailure
{
    None,

    /// <summary>401: the token is not valid (revoked, or mistyped).</summary>
    Unauthorized,

    /// <summary>403 or 404: the object is not there, or no longer shared with the integration.</summary>
    NotFound,

    /// <summary>400: Notion refused the request itself; retrying cannot help.</summary>
    Rejected,

    /// <summary>Still failing after every attempt (409, 429, 5xx, 529, timeouts, dropped connections).</summary>
    Transient,

    /// <summary>A create whose fate is unknown (it may have landed): check by PayTrack id before creating again.</summary>
    Uncertain,
}

/// <summary>An answer: the body on success, else the failure class with Notion's code and message.</summary>
public sealed record NotionReply(JsonObject? Body, NotionFailure Failure, int Status, string? Code, string? Message)
{
    public bool Succeeded => Failure == NotionFailure.None;

    public static NotionReply Ok(JsonObject body) => new(body, NotionFailure.None, 200, null, null);
}

/// <summary>
/// Notion's REST API as PayTrack uses it (docs/notion-contract.md): every request carries the token, the configured
/// Notion-Version and waits its turn under the token's rate (<see cref="NotionPacer"/>). 429 waits exactly its
/// Retry-After; 409, 5xx, 529, timeouts and dropped connections back off and retry, except a create, which is retried
/// only after a 429 (Notion did not act on it): any other failure comes back as <see cref="NotionFailure.Uncertain"/>
/// for the caller to look for the page first.
/// </summary>
public sealed partial class NotionClient(HttpClient http, NotionPacer pacer, IOptions<NotionOptions> options, TimeProvider clock, ILogger<NotionClient> logger)
{
    public Task<NotionReply> RetrievePageAsync(NotionSession session, string pageId, CancellationToken cancellationToken) =>
        SendAsync(session, HttpMethod.Get, "pages/" + pageId, null, isCreate: false, cancellationToken);

    public Task<NotionReply> ChildBlocksAsync(NotionSession session, string blockId, string? cursor, CancellationToken cancellationToken) =>
        SendAsync(session, HttpMethod.Get, "blocks/" + blockId + "/children?page_size=100" + (cursor is null ? "" : "&start_cursor=" + Uri.EscapeDataString(cursor)), null, isCreate: false, cancellationToken);

    public Task<NotionReply> RetrieveDatabaseAsync(NotionSession session, string databaseId, CancellationToken cancellationToken) =>
        SendAsync(session, HttpMethod.Get, "databases/" + databaseId, null, isCreate: false, cancellationToken);

    public Task<NotionReply> RetrieveDataSourceAsync(NotionSession session, string dataSourceId, CancellationToken cancellationToken) =>
        SendAsync(session, HttpMethod.Get, "data_sources/" + dataSourceId, null, isCreate: false, cancellationToken);

    public Task<NotionReply> CreateDatabaseAsync(NotionSession session, JsonObject body, CancellationToken cancellationToken) =>
        SendAsync(session, HttpMethod.Post, "databases", body, isCreate: true, cancellationToken);

    /// <summary>One page of a data source query (at most 100 results), from <paramref name="cursor"/> when given.</summary>
    public Task<NotionReply> QueryAsync(NotionSession session, string dataSourceId, JsonObject? filter, string? cursor, CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["page_size"] = 100 };
        if (filter is not null)
        {
            body["filter"] = filter;
        }

        if (cursor is not null)
        {
            body["start_cursor"] = cursor;
        }

        return SendAsync(session, HttpMethod.Post, "data_sources/" + dataSourceId + "/query", body, isCreate: false, cancellationToken);
    }

    public Task<NotionReply> CreatePageAsync(NotionSession session, string dataSourceId, JsonObject properties, CancellationToken cancellationToken) =>
        SendAsync(session, HttpMethod.Post, "pages", new JsonObject
        {
            ["parent"] = new JsonObject { ["type"] = "data_source_id", ["data_source_id"] = dataSourceId },
            ["properties"] = properties.DeepClone(),
        }, isCreate: true, cancellationToken);

    public Task<NotionReply> UpdatePageAsync(NotionSession session, string pageId, JsonObject properties, CancellationToken cancellationToken) =>
        SendAsync(session, HttpMethod.Patch, "pages/" + pageId, new JsonObject { ["properties"] = properties.DeepClone() }, isCreate: false, cancellationToken);

    public Task<NotionReply> TrashPageAsync(NotionSession session, string pageId, CancellationToken cancellationToken) =>
        SendAsync(session, HttpMethod.Patch, "pages/" + pageId, new JsonObject { ["in_trash"] = true }, isCreate: false, cancellationToken);

    private async Task<NotionReply> SendAsync(NotionSession session, HttpMethod method, string path, JsonObject? body, bool isCreate, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var url = new Uri(session.BaseUrl.TrimEnd('/') + "/v1/" + path, UriKind.Absolute);
        var payload = body?.ToJsonString();
        NotionReply? last = null;
        for (var attempt = 1; attempt <= settings.MaxAttempts; attempt++)
        {
            await pacer.WaitTurnAsync(session.Token, cancellationToken);
            var (reply, retryAfter) = await AttemptAsync(session, method, url, payload, settings.AttemptTimeout, cancellationToken);
            LogCall(logger, method.Method, url.AbsolutePath, reply.Status, attempt);
            if (reply.Succeeded || reply.Failure is NotionFailure.Unauthorized or NotionFailure.NotFound or NotionFailure.Rejected)
            {
                return reply;
            }

            last = reply;
            if (reply.Status == (int)HttpStatusCode.TooManyRequests)
            {
                // Notion did not act on a throttled request, so even a create may simply be sent again, when it says.
                pacer.Defer(session.Token, retryAfter ?? settings.RetryBaseDelay);
                continue;
            }

            if (isCreate)
            {
                return reply with { Failure = NotionFailure.Uncertain };
            }

            if (attempt < settings.MaxAttempts)
            {
                await Task.Delay(BackOff(settings.RetryBaseDelay, attempt), clock, cancellationToken);
            }
        }

        return last! with { Failure = NotionFailure.Transient };
    }

    private async Task<(NotionReply Reply, TimeSpan? RetryAfter)> AttemptAsync(
        NotionSession session, HttpMethod method, Uri url, string? payload, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", session.Token);
        request.Headers.Add("Notion-Version", options.Value.Version);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (payload is not null)
        {
            request.Content = new StringContent(payload, Encoding.UTF8, "application/json");
        }

        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(timeout);
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, attempt.Token);
            var text = await response.Content.ReadAsStringAsync(attempt.Token);
            var json = Parse(text);
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode && json is not null)
            {
                return (NotionReply.Ok(json), null);
            }

            var code = json?["code"]?.GetValue<string>();
            var message = json?["message"]?.GetValue<string>();
            var failure = status switch
            {
                401 => NotionFailure.Unauthorized,
                403 or 404 => NotionFailure.NotFound,
                400 or 413 or 422 => NotionFailure.Rejected,
                _ => NotionFailure.Transient,
            };
            return (new NotionReply(null, failure, status, code, message), RetryAfter(response));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (new NotionReply(null, NotionFailure.Transient, 0, "timeout", "Notion did not answer in time."), null);
        }
        catch (HttpRequestException ex) when (Kronos.OutboundGuard.IsRefusal(ex))
        {
            return (new NotionReply(null, NotionFailure.Rejected, 0, "refused_address", "PayTrack does not connect to local or private network addresses."), null);
        }
        catch (HttpRequestException ex)
        {
            return (new NotionReply(null, NotionFailure.Transient, 0, "connection", "Could not reach Notion: " + ex.HttpRequestError), null);
        }
    }

    private static JsonObject? Parse(string text)
    {
        try
        {
            return text.Length == 0 ? null : JsonNode.Parse(text) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Retry-After as Notion sends it (whole seconds), or an HTTP date.</summary>
    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - clock.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }

    private static TimeSpan BackOff(TimeSpan baseDelay, int attempt)
    {
        var exponential = baseDelay.TotalMilliseconds * Math.Pow(2, attempt - 1);
        return TimeSpan.FromMilliseconds(exponential * (0.8 + (0.4 * Random.Shared.NextDouble())));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Notion {Method} {Path}: {Status} (attempt {Attempt})")]
    private static partial void LogCall(ILogger logger, string method, string path, int status, int attempt);
}

/// <summary>Small readers of Notion's JSON.</summary>
public static class NotionRead
{
    public static string? Id(JsonNode? node) => node?["id"]?.GetValue<string>();

    public static string? NextCursor(JsonObject list) =>
        list["has_more"]?.GetValue<bool>() == true ? list["next_cursor"]?.GetValue<string>() : null;

    public static IEnumerable<JsonObject> Results(JsonObject list) =>
        (list["results"] as JsonArray ?? []).OfType<JsonObject>();

    public static string PlainText(JsonNode? richText) =>
        richText is JsonArray items ? string.Concat(items.Select(i => i?["plain_text"]?.GetValue<string>() ?? i?["text"]?["content"]?.GetValue<string>() ?? "")) : "";

    public static long? Number(JsonObject page, string property) =>
        page["properties"]?[property]?["number"] is JsonValue value && value.TryGetValue<double>(out var number)
            ? (long)number
            : null;

    public static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
