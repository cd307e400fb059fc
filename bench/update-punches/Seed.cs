using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;
using PayTrack.Web.Connections;
using PayTrack.Web.Data;
using PayTrack.Web.Operations;

namespace PayTrack.Bench.UpdatePunches;

internal static class Seed
{
    /// <summary>Users in one binary COPY (they never sign in, so no password hash); connections through KronosConnections.</summary>
    public static async Task RunAsync(string connectionString, string kronosBaseUrl, int users)
    {
        var ids = Enumerable.Range(0, users).Select(i => (Id: Guid.NewGuid().ToString(), Account: $"user{i:D5}")).ToList();
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var import = await connection.BeginBinaryImportAsync(
                "COPY identity_users (id, created_at, user_name, normalized_user_name, email, normalized_email, email_confirmed, security_stamp, " +
                "concurrency_stamp, phone_number_confirmed, two_factor_enabled, lockout_enabled, access_failed_count) FROM STDIN (FORMAT BINARY)");
            var now = DateTimeOffset.UtcNow;
            foreach (var (id, account) in ids)
            {
                var email = account + "@bench.test";
                await import.StartRowAsync();
                await import.WriteAsync(id, NpgsqlDbType.Text);
                await import.WriteAsync(now, NpgsqlDbType.TimestampTz);
                await import.WriteAsync(email, NpgsqlDbType.Varchar);
                await import.WriteAsync(email.ToUpperInvariant(), NpgsqlDbType.Varchar);
                await import.WriteAsync(email, NpgsqlDbType.Varchar);
                await import.WriteAsync(email.ToUpperInvariant(), NpgsqlDbType.Varchar);
                await import.WriteAsync(true, NpgsqlDbType.Boolean);
                await import.WriteAsync(Guid.NewGuid().ToString("N"), NpgsqlDbType.Text);
                await import.WriteAsync(Guid.NewGuid().ToString(), NpgsqlDbType.Text);
                await import.WriteAsync(false, NpgsqlDbType.Boolean);
                await import.WriteAsync(false, NpgsqlDbType.Boolean);
                await import.WriteAsync(true, NpgsqlDbType.Boolean);
                await import.WriteAsync(0, NpgsqlDbType.Integer);
            }

            await import.CompleteAsync();
        }

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production", Args = [] });
        builder.Configuration["ConnectionStrings:" + DataExtensions.ConnectionStringName] = connectionString;
        builder.Configuration["PayTrack:DataProtection:Key"] = Processes.DataProtectionKey;
        builder.Logging.ClearProviders();
        await using var database = await builder.AddDatabaseAsync(() => builder.BootstrapLoggerFactory(quiet: true));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.AddConnections();
        await using var app = builder.Build();
        // The first save creates the key ring; the rest share it.
        await SaveAsync(app.Services, ids[0].Id, ids[0].Account, kronosBaseUrl);
        await Parallel.ForEachAsync(ids.Skip(1), new ParallelOptions { MaxDegreeOfParallelism = 8 },
            async (user, _) => await SaveAsync(app.Services, user.Id, user.Account, kronosBaseUrl));
    }

    private static async Task SaveAsync(IServiceProvider services, string userId, string account, string kronosBaseUrl)
    {
        await using var scope = services.CreateAsyncScope();
        var saved = await scope.ServiceProvider.GetRequiredService<KronosConnections>()
            .SaveAsync(userId, new KronosConnectionInput(kronosBaseUrl, account, account, "America/New_York"), CancellationToken.None);
        if (!saved.Succeeded)
        {
            throw new InvalidOperationException($"Connection of {account} not saved: {saved.Message}");
        }
    }
}
