using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace PayTrack.Tests.Infrastructure;

/// <summary>
/// The one WebApplicationFactory of the suite: PayTrack on its own database cloned from the migrated template.
/// Tests pass extra settings (as PayTrack reads them from configuration) and, when they need it, a clock.
/// </summary>
public class PayTrackAppFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    /// <summary>The key ring secret of every PayTrack the suite starts, unless a test sets its own.</summary>
    public const string KeyRingKey = "test-key-ring-secret-0123456789abcdef";

    private readonly Dictionary<string, string?> _settings = new(StringComparer.Ordinal)
    {
        // Tests register many accounts on one database and expect them to be plain users; the first-admin rule has
        // its own tests (Foundation/FirstAdminTests), which turn it back on.
        ["PayTrack:Accounts:FirstUserIsAdmin"] = "false",
        ["PayTrack:DataProtection:Key"] = KeyRingKey,
    };

    public string ConnectionString { get; private set; } = "";

    public TimeProvider? Clock { get; set; }

    /// <summary>Runs on a real Kestrel port (for the browser and for clients outside the process).</summary>
    public bool RealServer { get; set; }

    public PayTrackAppFactory WithSetting(string key, string? value)
    {
        _settings[key] = value;
        return this;
    }

    /// <summary>A client that keeps its cookies and shows redirects instead of following them, as a test reads them.</summary>
    public HttpClient Browser() => CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    /// <summary>Set before start-up to run on another factory's database, as a second node of one deployment.</summary>
    public string? SharedConnectionString { get; set; }

    public virtual async Task InitializeAsync()
    {
        ConnectionString = SharedConnectionString ?? await TestCluster.CreateDatabaseAsync(GetType().Name);
        if (RealServer)
        {
            UseKestrel(0);
            StartServer();
        }
    }

    Task IAsyncLifetime.DisposeAsync() => base.DisposeAsync().AsTask();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:PayTrack", ConnectionString);
        // The tests' Kronos simulator listens on loopback, which PayTrack refuses to call unless told otherwise.
        builder.UseSetting("PayTrack:Kronos:AllowPrivateAddresses", "true");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        if (Clock is not null)
        {
            builder.ConfigureServices(services => services.Replace(ServiceDescriptor.Singleton(Clock)));
        }
    }
}
