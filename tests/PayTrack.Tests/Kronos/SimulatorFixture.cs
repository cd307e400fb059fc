using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PayTrack.KronosSimulator;
using PayTrack.KronosSimulator.Site;
using PayTrack.Tests.Infrastructure;
using PayTrack.Web.Kronos;

namespace PayTrack.Tests.Kronos;

/// <summary>
/// The Kronos simulator on a free loopback port, in this process, for tests that need a Kronos site: clients talk to it
/// over real HTTP. Its clock is a <see cref="TestClock"/> the test moves; faults are set per test. Use it as an
/// IClassFixture; subclass it and override <see cref="Settings"/> for a site configured differently.
/// </summary>
public class SimulatorFixture : IAsyncLifetime
{
    /// <summary>A Wednesday evening in the fall term: the demo accounts have years of history behind it.</summary>
    public static readonly DateTimeOffset DefaultNow = new(2026, 11, 18, 20, 0, 0, TimeSpan.Zero);

    private WebApplication? _app;
    private HttpClient? _backdoor;

    public TestClock Clock { get; } = new(DefaultNow);

    /// <summary>http://127.0.0.1:PORT</summary>
    public string Origin { get; private set; } = "";

    /// <summary>The connection base URL of the simulated site: http://127.0.0.1:PORT/api.</summary>
    public string BaseUrl => Origin + "/api";

    public DateOnly Today => DateOnly.FromDateTime(Clock.GetUtcNow().UtcDateTime);

    internal SimulatorStats Stats => Services.GetRequiredService<SimulatorStats>();

    internal IServiceProvider Services => _app?.Services ?? throw new InvalidOperationException("The simulator has not started.");

    /// <summary>Configuration of the simulated site (keys as in its README, e.g. "Simulator:AccountCount").</summary>
    protected virtual IEnumerable<KeyValuePair<string, string?>> Settings() => [];

    public async Task InitializeAsync()
    {
        _app = SimulatorApp.Build(["--urls", "http://127.0.0.1:0"], builder =>
        {
            builder.Environment.EnvironmentName = "Testing";
            builder.Configuration.AddInMemoryCollection(Settings());
            builder.Services.AddSingleton<TimeProvider>(Clock);
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
        });
        await _app.StartAsync();
        Origin = _app.Urls.Single().TrimEnd('/');
        _backdoor = new HttpClient { BaseAddress = new Uri(Origin) };
    }

    public async Task DisposeAsync()
    {
        _backdoor?.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    public KronosConnectionSettings Connection(string username, string? password = null) => new()
    {
        BaseUrl = BaseUrl,
        Username = username,
        Password = password ?? (username.StartsWith("user", StringComparison.Ordinal) ? username : "demo"),
    };

    /// <summary>Faults for every account (null: none). Build a new <see cref="FaultOptions"/> per call rather than changing one in place.</summary>
    public void SetFaults(FaultOptions? faults) => Services.GetRequiredService<FaultInjector>().SetGlobal(faults);

    public void SetFaults(string username, FaultOptions? faults) => Services.GetRequiredService<FaultInjector>().SetAccount(username, faults);

    /// <summary>Back to a quiet site: no faults, no sessions, zeroed statistics, the clock at <see cref="DefaultNow"/>.</summary>
    public void Reset()
    {
        Services.GetRequiredService<FaultInjector>().Reset();
        Services.GetRequiredService<SessionStore>().Clear();
        Stats.Reset();
        Clock.Set(DefaultNow);
    }

    /// <summary>What the site holds for the account now, parsed with PayTrack's own wire records.</summary>
    public async Task<BackupFile> TruthAsync(string username, DateOnly? from = null, DateOnly? to = null)
    {
        using var stream = await TruthStreamAsync(username, from, to);
        return await JsonSerializer.DeserializeAsync(stream, KronosJsonContext.Default.BackupFile) ?? throw new InvalidOperationException("No truth.");
    }

    /// <summary>The same, as a document, for tests that must not depend on PayTrack's wire records.</summary>
    public async Task<JsonDocument> TruthDocumentAsync(string username, DateOnly? from = null, DateOnly? to = null)
    {
        using var stream = await TruthStreamAsync(username, from, to);
        return await JsonDocument.ParseAsync(stream);
    }

    internal async Task<StatsSnapshot> StatsOverHttpAsync() =>
        await _backdoor!.GetFromJsonAsync<StatsSnapshot>("/_sim/stats") ?? throw new InvalidOperationException("No stats.");

    private async Task<Stream> TruthStreamAsync(string username, DateOnly? from, DateOnly? to)
    {
        var query = $"?from={from:yyyy-MM-dd}&to={to:yyyy-MM-dd}";
        var response = await _backdoor!.GetAsync($"/_sim/truth/{Uri.EscapeDataString(username)}{query}");
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStreamAsync();
    }
}
