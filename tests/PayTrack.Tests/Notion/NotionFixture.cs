using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using PayTrack.Tests.Dashboard;
using PayTrack.Tests.Infrastructure;
using PayTrack.Tests.Kronos;
using PayTrack.Web.Data;
using PayTrack.Web.Notion;

namespace PayTrack.Tests.Notion;

/// <summary>The simulator with its Notion API fast enough for tests (its rate limit is tested with faults, and measured in bench/notion).</summary>
public sealed class FastNotionSimulator : SimulatorFixture
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
    [
        new("Simulator:Notion:RequestsPerSecond", "1000"),
        new("Simulator:Notion:Burst", "1000"),
    ];
}

/// <summary>
/// The simulator (Kronos and Notion) on a loopback port and one PayTrack on a database of its own. Each test makes its
/// own user and its own Notion integration, so tests share the fixture and never each other's data.
/// </summary>
public class NotionFixture : IAsyncLifetime
{
    public static readonly IReadOnlyDictionary<string, string?> FastSettings = new Dictionary<string, string?>(StringComparer.Ordinal)
    {
        ["PayTrack:Notion:RequestsPerSecond"] = "1000",
        ["PayTrack:Notion:RetryBaseDelay"] = "00:00:00.050",
        ["PayTrack:Notion:AttemptTimeout"] = "00:00:05",
        ["PayTrack:Notion:AllowPrivateAddresses"] = "true",
        ["Logging:LogLevel:Default"] = "Trace",
        // These tests sync when they say so; NotionKeptCurrentTests turn the syncs after every change on.
        ["PayTrack:Notion:SyncAfterChanges"] = "false",
    };

    private HttpClient? _backdoor;

    public FastNotionSimulator Simulator { get; } = new();

    public NotionAppFactory App { get; } = new();

    public string ApiRoot => Simulator.Origin;

    public HttpClient Backdoor => _backdoor ?? throw new InvalidOperationException("Not started.");

    public async Task InitializeAsync()
    {
        await Simulator.InitializeAsync();
        foreach (var (key, value) in FastSettings.Concat(MoreSettings()))
        {
            App.WithSetting(key, value);
        }

        await App.InitializeAsync();
        _ = App.Services;
        _backdoor = new HttpClient { BaseAddress = new Uri(Simulator.Origin) };
    }

    /// <summary>Settings a derived fixture adds or overrides.</summary>
    protected virtual IEnumerable<KeyValuePair<string, string?>> MoreSettings() => [];

    public async Task DisposeAsync()
    {
        _backdoor?.Dispose();
        await App.DisposeAsync();
        await Simulator.DisposeAsync();
    }

    public T Service<T>()
        where T : notnull => App.Services.CreateScope().ServiceProvider.GetRequiredService<T>();

    /// <summary>A new integration in a workspace of its own, with one page shared with it.</summary>
    public async Task<(string Token, string PageId)> NewIntegrationAsync()
    {
        using var response = await Backdoor.PostAsJsonAsync("/_sim/notion/integrations", new { page_title = "My PayTrack" });
        response.EnsureSuccessStatusCode();
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        return (body["token"]!.GetValue<string>(), body["page_id"]!.GetValue<string>());
    }

    /// <summary>A user with the demo student's timecard, connected to a new integration.</summary>
    public async Task<NotionUser> DemoUserAsync(string email)
    {
        var (userId, client) = await App.SignedInAsync(email);
        await App.ImportSeedBackupAsync(userId);
        var (token, pageId) = await NewIntegrationAsync();
        var outcome = await Service<NotionConnections>().ConnectAsync(userId, new NotionConnectionInput(token, pageId, ApiRoot), CancellationToken.None);
        Assert.True(outcome.Succeeded, outcome.Message);
        var connection = (await Service<NotionConnections>().FindAsync(userId, CancellationToken.None))!;
        return new NotionUser(userId, client, token, pageId, connection);
    }

    public Task<Outcome<NotionSyncCounts>> SyncAsync(string userId) => Service<NotionSync>().RunAsync(userId, null, CancellationToken.None);

    /// <summary>Every page of a data source as the simulator holds it, trashed ones included.</summary>
    public async Task<IReadOnlyList<JsonObject>> PagesAsync(string dataSourceId) =>
        (await Backdoor.GetFromJsonAsync<List<JsonObject>>($"/_sim/notion/data_sources/{dataSourceId}/pages"))!;

    public async Task<IReadOnlyList<NotionRequestSeen>> RequestsAsync(string token) =>
        (await Backdoor.GetFromJsonAsync<List<NotionRequestSeen>>($"/_sim/notion/integrations/{token}/requests"))!;

    public async Task ClearRequestsAsync(string token) => (await Backdoor.DeleteAsync($"/_sim/notion/integrations/{token}/requests")).EnsureSuccessStatusCode();

    public async Task FaultAsync(object fault) => (await Backdoor.PostAsJsonAsync("/_sim/notion/faults", fault)).EnsureSuccessStatusCode();

    public async Task RevokeAsync(string token) => (await Backdoor.PostAsync($"/_sim/notion/integrations/{token}/revoke", null)).EnsureSuccessStatusCode();

    public async Task<T> ScalarAsync<T>(string sql, params object[] parameters)
    {
        await using var connection = new NpgsqlConnection(App.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        return (T)(await command.ExecuteScalarAsync())!;
    }

    public Task<NotionConnection?> ConnectionAsync(string userId) => Service<NotionConnections>().FindAsync(userId, CancellationToken.None);
}

public sealed record NotionUser(string UserId, HttpClient Browser, string Token, string PageId, NotionConnection Connection);

public sealed record NotionRequestSeen(
    [property: JsonPropertyName("at_ms")] double AtMs,
    [property: JsonPropertyName("method")] string Method,
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("status")] int Status);

/// <summary>Readers of the pages the simulator hands back.</summary>
internal static class NotionPages
{
    public static bool Trashed(this JsonObject page) => page["in_trash"]!.GetValue<bool>();

    public static long PayTrackId(this JsonObject page) => (long)page["properties"]!["PayTrack id"]!["number"]!.GetValue<double>();

    public static decimal? Number(this JsonObject page, string property) =>
        page["properties"]![property]!["number"] is JsonValue value ? value.GetValue<decimal>() : null;

    public static string Text(this JsonObject page, string property)
    {
        var column = page["properties"]![property]!;
        var type = column["type"]!.GetValue<string>();
        return type switch
        {
            "select" => column["select"]?["name"]?.GetValue<string>() ?? "",
            "date" => column["date"]!["start"]!.GetValue<string>() + "/" + column["date"]!["end"]?.GetValue<string>(),
            _ => string.Concat(column[type]!.AsArray().Select(t => t!["plain_text"]!.GetValue<string>())),
        };
    }

    public static List<JsonObject> Live(this IEnumerable<JsonObject> pages) => pages.Where(p => !p.Trashed()).ToList();
}

/// <summary>PayTrack as the dashboard tests run it, with every log line it writes (at every level) kept for the test to read.</summary>
public sealed class NotionAppFactory : DashboardAppFactory
{
    public LogCapture Logs { get; } = new();

    protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureLogging(logging => logging.AddProvider(Logs).SetMinimumLevel(LogLevel.Trace));
    }
}

public sealed class LogCapture : ILoggerProvider
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _lines = new();

    public IReadOnlyCollection<string> Lines => _lines;

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(LogCapture capture, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            capture._lines.Enqueue($"{category} {logLevel}: {formatter(state, exception)} {exception}");
    }
}
