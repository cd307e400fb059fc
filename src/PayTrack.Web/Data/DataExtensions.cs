using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.AuthenticatedEncryption;
using Microsoft.AspNetCore.DataProtection.AuthenticatedEncryption.ConfigurationModel;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using PayTrack.Web.LocalPostgres;

namespace PayTrack.Web.Data;

public static class DataExtensions
{
    public const string ConnectionStringName = "PayTrack";

    /// <summary>
    /// Registers the DbContext (pooled factory for pages and jobs, scoped for Identity) on the configured
    /// connection string, or on a private PostgreSQL cluster started here when none is configured.
    /// The returned lease stops that cluster when disposed. <paramref name="bootstrapLoggers"/> makes the logger that
    /// cluster's start writes to, before the host (and its logging) exists.
    /// </summary>
    public static async Task<IAsyncDisposable> AddDatabaseAsync(this WebApplicationBuilder builder, Func<ILoggerFactory> bootstrapLoggers)
    {
        LocalPostgresServer? server = null;
        var connectionString = builder.Configuration.GetConnectionString(ConnectionStringName);
        var options = builder.Configuration.GetSection(LocalPostgresOptions.Section).Get<LocalPostgresOptions>() ?? new LocalPostgresOptions();
        var secret = await LoadKeyRingSecretAsync(builder, embeddedDatabase: string.IsNullOrWhiteSpace(connectionString), options);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            var loggers = bootstrapLoggers();
            try
            {
                server = await LocalPostgresServer.StartAsync(options, loggers.CreateLogger<LocalPostgresServer>());
            }
            catch (LocalPostgresException ex)
            {
                // One clear sentence for the operator, no stack trace: this is a setup problem, not a bug.
                await Console.Error.WriteLineAsync(ex.Message);
                Environment.Exit(2);
                throw;
            }

            connectionString = server.ConnectionString(options.Database);
            builder.Services.AddSingleton(server);
        }

        var resolved = WithPoolDefaults(connectionString);
        // One data source per process: EF Core and the hand-written SQL (bulk ingest, LISTEN/NOTIFY) share its pool.
        builder.Services.AddSingleton(_ => NpgsqlDataSource.Create(resolved));
        builder.Services.AddPooledDbContextFactory<PayTrackDbContext>((sp, o) => o.UseNpgsql(sp.GetRequiredService<NpgsqlDataSource>()));
        builder.Services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<PayTrackDbContext>>().CreateDbContext());
        builder.Services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section)
            .Validate(o => o.WaitAtStart >= TimeSpan.Zero, "PayTrack:Database:WaitAtStart must be a length of time of zero or more, such as 00:01:00.")
            .ValidateOnStart();
        builder.Services.AddSingleton<DatabaseMigrator>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DatabaseMigrator>());

        // New keys encrypt with AES-256-GCM, one pass that also authenticates: every page unprotects the session cookie
        // and the antiforgery cookie and protects a token, the interactive marker and its persisted state, and the default
        // (AES-256-CBC, then HMAC-SHA256, each a new cipher object) cost a tenth of a page's CPU (decision 0039). Keys made
        // before keep their algorithm until they expire, so what they protected stays readable.
        builder.Services.AddDataProtection().SetApplicationName("PayTrack")
            .UseCryptographicAlgorithms(new AuthenticatedEncryptorConfiguration
            {
                EncryptionAlgorithm = EncryptionAlgorithm.AES_256_GCM,
            });
        builder.Services.AddSingleton(secret);
        builder.Services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp =>
            new ConfigureOptions<KeyManagementOptions>(o =>
            {
                o.XmlRepository = ActivatorUtilities.CreateInstance<DatabaseKeyRepository>(sp);
                o.XmlEncryptor = new KeyRingEncryptor(secret);
            }));
        builder.Services.AddSingleton<ConnectionPasswords>();
        builder.Services.AddSingleton<KeyRingMaintenance>();

        return new DatabaseLease(server);
    }

    /// <summary>
    /// How the pool treats its connections, unless the connection string says otherwise. Statements PayTrack runs again
    /// and again (each sync's and each page's) are prepared on their connection after a few uses: PostgreSQL then skips
    /// parsing and planning them (decision 0032). A connection going back to the pool is not reset: Npgsql would otherwise
    /// queue five statements (RESET ALL, pg_advisory_unlock_all(), UNLISTEN *, ...) for PostgreSQL to run at its next use,
    /// on every page's four reads and every job's dozen statements. PayTrack leaves no session state on a pooled
    /// connection: transaction-scoped settings and locks only, temporary tables dropped at commit, and each session lock
    /// released before its connection goes back (decision 0034).
    /// </summary>
    internal static string WithPoolDefaults(string connectionString)
    {
        var settings = DatabaseReadiness.Read(connectionString);
        // Each setting the connection string gives (either spelling, with or without spaces) is the operator's.
        var given = connectionString.Replace(" ", "", StringComparison.Ordinal);
        if (!given.Contains("MaxAutoPrepare", StringComparison.OrdinalIgnoreCase))
        {
            settings.MaxAutoPrepare = 128;
        }

        if (!given.Contains("AutoPrepareMinUsages", StringComparison.OrdinalIgnoreCase))
        {
            settings.AutoPrepareMinUsages = 2;
        }

        if (!given.Contains("NoResetOnClose", StringComparison.OrdinalIgnoreCase))
        {
            settings.NoResetOnClose = true;
        }

        return settings.ConnectionString;
    }

    private static async Task<KeyRingSecret> LoadKeyRingSecretAsync(WebApplicationBuilder builder, bool embeddedDatabase, LocalPostgresOptions database)
    {
        var options = builder.Configuration.GetSection(KeyRingOptions.Section).Get<KeyRingOptions>() ?? new KeyRingOptions();
        try
        {
            var dataDirectory = string.IsNullOrWhiteSpace(database.DataDirectory) ? LocalPostgresOptions.DefaultDataDirectory() : database.DataDirectory;
            return KeyRingSecret.Load(options, embeddedDatabase, builder.Environment.IsProduction(), dataDirectory);
        }
        catch (KeyRingSecretException ex)
        {
            // One clear sentence for the operator, no stack trace: this is a setup problem, not a bug.
            await Console.Error.WriteLineAsync(ex.Message);
            Environment.Exit(2);
            throw;
        }
    }

    private sealed class DatabaseLease(LocalPostgresServer? server) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            if (server is not null)
            {
                await server.StopAsync();
            }
        }
    }
}
