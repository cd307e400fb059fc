using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using PayTrack.KronosSimulator;
using PayTrack.Web.Connections;

namespace PayTrack.BrowserTests;

/// <summary>
/// A browser test class with a Kronos simulator of its own on a free loopback port, where one account answers slowly
/// enough (<paramref name="latencyMs"/> a request) that a sync takes a few seconds to watch.
/// </summary>
public abstract class SimulatedKronosTests(string slowAccount, int latencyMs) : IAsyncLifetime
{
    private WebApplication? _simulator;

    /// <summary>The simulator's root: Notion's API (/v1) and the test back door (/_sim) live here.</summary>
    protected string SimulatorOrigin => _simulator!.Urls.Single().TrimEnd('/');

    protected string KronosAddress => SimulatorOrigin + "/api";

    /// <summary>What a user types into Settings to connect to the simulator's <paramref name="username"/>.</summary>
    protected KronosConnectionInput Kronos(string username, string password) => new(KronosAddress, username, password, "America/New_York");

    public async Task InitializeAsync()
    {
        _simulator = SimulatorApp.Build(["--urls", "http://127.0.0.1:0"], builder =>
        {
            builder.Configuration.AddInMemoryCollection([new($"Simulator:AccountFaults:{slowAccount}:LatencyMs", latencyMs.ToString(System.Globalization.CultureInfo.InvariantCulture))]);
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
        });
        await _simulator.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_simulator is not null)
        {
            await _simulator.DisposeAsync();
        }
    }
}
