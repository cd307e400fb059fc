using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;

namespace PayTrack.KronosSimulator.Notion;

/// <summary>An answer of the simulated API: a status and a JSON body.</summary>
internal sealed record SimResult(int Status, JsonNode Body)
{
    public static SimResult Ok(JsonNode body) => new(StatusCodes.Status200OK, body);

    public static SimResult Error(int status, string code, string message) => new(status, new JsonObject
    {
        ["object"] = "error",
        ["status"] = status,
        ["code"] = code,
        ["message"] = message,
        ["request_id"] = Guid.NewGuid().ToString("D"),
    });

    public static SimResult NotFound(string id) => Error(StatusCodes.Status404NotFound, "object_not_found",
        $"Could not find object with ID: {id}. Make sure the relevant pages and databases are shared with your integration.");

    public static SimResult Invalid(string message) => Error(StatusCodes.Status400BadRequest, "validation_error", message);
}

/// <summary>A fault on demand for one token: the next <see cref="Count"/> matching requests get it.</summary>
public sealed class NotionFault
{
    [JsonPropertyName("token")]
    public required string Token { get; set; }

    [JsonPropertyName("status")]
    public int Status { get; set; } = StatusCodes.Status500InternalServerError;

    [JsonPropertyName("code")]
    public string Code { get; set; } = "internal_server_error";

    [JsonPropertyName("count")]
    public int Count { get; set; } = 1;

    /// <summary>Seconds for a Retry-After header; null sends none.</summary>
    [JsonPropertyName("retry_after")]
    public int? RetryAfter { get; set; }

    /// <summary>Only requests with this method (GET, POST, PATCH); null matches all.</summary>
    [JsonPropertyName("method")]
    public string? Method { get; set; }

    /// <summary>Only requests whose path contains this; null matches all.</summary>
    [JsonPropertyName("path_contains")]
    public string? PathContains { get; set; }

    /// <summary>The request is carried out, then the error is answered instead of its result: a write that landed but whose answer was lost.</summary>
    [JsonPropertyName("after_processing")]
    public bool AfterProcessing { get; set; }

    /// <summary>With <see cref="AfterProcessing"/>: hold the answer this long first, so a test can kill the client while it waits.</summary>
    [JsonPropertyName("hold_ms")]
    public int HoldMs { get; set; }
}

/// <summary>One request the simulated API saw, for tests and the benchmark.</summary>
public sealed record NotionRequestRecord(
    [property: JsonPropertyName("at_ms")] double AtMs,
    [property: JsonPropertyName("method")] string Method,
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("status")] int Status);

internal sealed class SimIntegration(string token, string workspaceId)
{
    public string Token { get; } = token;

    public string WorkspaceId { get; } = workspaceId;

    public bool Revoked { get; set; }

    public HashSet<string> SharedPages { get; } = new(StringComparer.Ordinal);

    public List<NotionFault> Faults { get; } = [];

    public List<NotionRequestRecord> Log { get; } = [];

    public double BucketTokens { get; set; } = double.NaN;

    public long BucketAt { get; set; }
}

internal sealed class SimPage
{
    public required string Id { get; init; }

    public required string WorkspaceId { get; init; }

    /// <summary>The shared top-level page this object lives under (itself for a top-level page).</summary>
    public required string RootPageId { get; init; }

    public string? DataSourceId { get; init; }

    public string? DatabaseId { get; init; }

    public required JsonObject Properties { get; set; }

    public bool InTrash { get; set; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset EditedAt { get; set; }

    public long Seq { get; init; }
}

internal sealed class SimDatabase
{
    public required string Id { get; init; }

    public required string WorkspaceId { get; init; }

    public required string RootPageId { get; init; }

    public required string ParentPageId { get; init; }

    public required string Title { get; init; }

    public required string DataSourceId { get; init; }

    public DateTimeOffset CreatedAt { get; init; }
}

internal sealed class SimDataSource
{
    public required string Id { get; init; }

    public required SimDatabase Database { get; init; }

    /// <summary>Property name to its schema object ({id, name, type, &lt;type&gt;: {...}}).</summary>
    public required JsonObject Schema { get; init; }
}

/// <summary>
/// Everything the simulated Notion holds, in memory: integrations (a token, its workspace, the pages shared with it),
/// top-level pages, databases with one data source each, and the pages of those data sources. One lock guards it all;
/// the simulator is for one machine's tests and demos, not for scale.
/// </summary>
internal sealed class NotionWorkspace
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, SimIntegration> _integrations = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SimPage> _pages = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SimDatabase> _databases = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SimDataSource> _dataSources = new(StringComparer.Ordinal);
    private readonly TimeProvider _clock;
    private readonly IOptionsMonitor<NotionSimOptions> _options;
    private readonly long _started = Stopwatch.GetTimestamp();
    private long _seq;

    public NotionWorkspace(TimeProvider clock, IOptionsMonitor<NotionSimOptions> options)
    {
        _clock = clock;
        _options = options;
        var demo = options.CurrentValue;
        if (!string.IsNullOrEmpty(demo.DemoToken) && TryNormalizeId(demo.DemoPageId, out var demoPage))
        {
            AddIntegration(demo.DemoToken, demoPage, "PayTrack demo");
        }
    }

    public string Version => _options.CurrentValue.Version;

    public Lock Gate => _gate;

    public double ElapsedMs => Stopwatch.GetElapsedTime(_started).TotalMilliseconds;

    public DateTimeOffset Now => _clock.GetUtcNow();

    /// <summary>A new integration in a workspace of its own, with one top-level page shared with it.</summary>
    public (string Token, string PageId) AddIntegration(string? token, string? pageId, string pageTitle)
    {
        lock (_gate)
        {
            token ??= "ntn_" + Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N")[..8];
            pageId ??= Guid.NewGuid().ToString("D");
            var integration = new SimIntegration(token, "ws-" + Guid.NewGuid().ToString("N"));
            integration.SharedPages.Add(pageId);
            _integrations[token] = integration;
            _pages[pageId] = new SimPage
            {
                Id = pageId,
                WorkspaceId = integration.WorkspaceId,
                RootPageId = pageId,
                Properties = new JsonObject { ["title"] = NotionJson.TitleValue("title", pageTitle) },
                CreatedAt = Now,
                EditedAt = Now,
                Seq = ++_seq,
            };
            return (token, pageId);
        }
    }

    public SimIntegration? Integration(string token)
    {
        lock (_gate)
        {
            return _integrations.GetValueOrDefault(token);
        }
    }

    public bool Revoke(string token)
    {
        lock (_gate)
        {
            if (!_integrations.TryGetValue(token, out var integration))
            {
                return false;
            }

            integration.Revoked = true;
            return true;
        }
    }

    public bool Unshare(string token, string pageId)
    {
        lock (_gate)
        {
            return _integrations.TryGetValue(token, out var integration) && TryNormalizeId(pageId, out var id) && integration.SharedPages.Remove(id);
        }
    }

    public void AddFault(NotionFault fault)
    {
        lock (_gate)
        {
            if (_integrations.TryGetValue(fault.Token, out var integration))
            {
                integration.Faults.Add(fault);
            }
        }
    }

    public IReadOnlyList<NotionRequestRecord> Requests(string token)
    {
        lock (_gate)
        {
            return _integrations.TryGetValue(token, out var integration) ? integration.Log.ToList() : [];
        }
    }

    public void ClearRequests(string token)
    {
        lock (_gate)
        {
            if (_integrations.TryGetValue(token, out var integration))
            {
                integration.Log.Clear();
            }
        }
    }

    /// <summary>
    /// Takes one request from the token's bucket (refilled at the average rate, holding at most the burst). Returns the
    /// seconds to wait before a retry, or 0 when the request may go ahead. Real time, whatever the simulated clock says.
    /// </summary>
    public int TakeFromBucket(SimIntegration integration)
    {
        var options = _options.CurrentValue;
        var now = Stopwatch.GetTimestamp();
        if (double.IsNaN(integration.BucketTokens))
        {
            integration.BucketTokens = options.Burst;
        }
        else
        {
            var refill = Stopwatch.GetElapsedTime(integration.BucketAt, now).TotalSeconds * options.RequestsPerSecond;
            integration.BucketTokens = Math.Min(options.Burst, integration.BucketTokens + refill);
        }

        integration.BucketAt = now;
        if (integration.BucketTokens >= 1)
        {
            integration.BucketTokens -= 1;
            return 0;
        }

        return Math.Max(1, (int)Math.Ceiling((1 - integration.BucketTokens) / options.RequestsPerSecond));
    }

    /// <summary>The first fault that matches the request, used up by one; null when none does.</summary>
    public static NotionFault? TakeFault(SimIntegration integration, string method, string path)
    {
        var fault = integration.Faults.Find(f =>
            (f.Method is null || string.Equals(f.Method, method, StringComparison.OrdinalIgnoreCase)) &&
            (f.PathContains is null || path.Contains(f.PathContains, StringComparison.Ordinal)));
        if (fault is not null && --fault.Count <= 0)
        {
            integration.Faults.Remove(fault);
        }

        return fault;
    }

    public static bool TryNormalizeId(string? raw, out string id)
    {
        if (Guid.TryParse(raw, out var guid))
        {
            id = guid.ToString("D");
            return true;
        }

        id = "";
        return false;
    }

    // Everything below runs with the gate held (the API takes it around each call).

    public SimPage? VisiblePage(SimIntegration integration, string id) =>
        _pages.TryGetValue(id, out var page) && Visible(integration, page.WorkspaceId, page.RootPageId) ? page : null;

    public SimDatabase? VisibleDatabase(SimIntegration integration, string id) =>
        _databases.TryGetValue(id, out var database) && Visible(integration, database.WorkspaceId, database.RootPageId) ? database : null;

    public SimDataSource? VisibleDataSource(SimIntegration integration, string id) =>
        _dataSources.TryGetValue(id, out var source) && Visible(integration, source.Database.WorkspaceId, source.Database.RootPageId) ? source : null;

    public IEnumerable<SimDatabase> DatabasesUnder(string pageId) =>
        _databases.Values.Where(d => string.Equals(d.ParentPageId, pageId, StringComparison.Ordinal)).OrderBy(d => d.CreatedAt).ThenBy(d => d.Id, StringComparer.Ordinal);

    public IEnumerable<SimPage> PagesOf(string dataSourceId) =>
        _pages.Values.Where(p => string.Equals(p.DataSourceId, dataSourceId, StringComparison.Ordinal)).OrderBy(p => p.Seq);

    public SimDataSource CreateDatabase(SimPage parent, string title, JsonObject schema)
    {
        var database = new SimDatabase
        {
            Id = Guid.NewGuid().ToString("D"),
            WorkspaceId = parent.WorkspaceId,
            RootPageId = parent.RootPageId,
            ParentPageId = parent.Id,
            Title = title,
            DataSourceId = Guid.NewGuid().ToString("D"),
            CreatedAt = Now,
        };
        var source = new SimDataSource { Id = database.DataSourceId, Database = database, Schema = schema };
        _databases[database.Id] = database;
        _dataSources[source.Id] = source;
        return source;
    }

    public SimPage CreatePage(SimDataSource source, JsonObject properties)
    {
        var page = new SimPage
        {
            Id = Guid.NewGuid().ToString("D"),
            WorkspaceId = source.Database.WorkspaceId,
            RootPageId = source.Database.RootPageId,
            DataSourceId = source.Id,
            DatabaseId = source.Database.Id,
            Properties = properties,
            CreatedAt = Now,
            EditedAt = Now,
            Seq = ++_seq,
        };
        _pages[page.Id] = page;
        return page;
    }

    public SimDataSource? DataSourceOf(SimPage page) => page.DataSourceId is { } id ? _dataSources.GetValueOrDefault(id) : null;

    /// <summary>Every page of a data source, trashed ones included (back door only: no token, no rate limit).</summary>
    public List<JsonNode> Dump(string dataSourceId)
    {
        lock (_gate)
        {
            return PagesOf(dataSourceId).Select(p => (JsonNode)NotionJson.Page(p)).ToList();
        }
    }

    private static bool Visible(SimIntegration integration, string workspaceId, string rootPageId) =>
        string.Equals(integration.WorkspaceId, workspaceId, StringComparison.Ordinal) && integration.SharedPages.Contains(rootPageId);

    public static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
