using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Npgsql;
using PayTrack.Web.Data;
using PayTrack.Web.Timecards;

namespace PayTrack.Web.Dashboard;

/// <summary>The demo that visitors see before they sign in, bound from <c>PayTrack:Demo</c>.</summary>
public sealed class DemoOptions
{
    public const string Section = "PayTrack:Demo";

    public bool Enabled { get; set; } = true;

    /// <summary>The demo account's e-mail; it has no password, so nobody can sign in as it.</summary>
    [Required, EmailAddress]
    public string Email { get; set; } = "demo@paytrack.invalid";

    /// <summary>"Today" on the demo's pages. The seed data ends on 2024-12-11, so the default is that Wednesday.</summary>
    public DateOnly Today { get; set; } = new(2024, 12, 11);

    /// <summary>A backup file to load instead of the built-in seed-data/demo-backup.json.</summary>
    public string? BackupFile { get; set; }
}

/// <summary>
/// The demo account: created at start-up with the seed backup when it does not exist yet (idempotently, and once
/// across nodes thanks to an advisory lock), then looked up by e-mail and remembered.
/// </summary>
public sealed partial class DemoAccount(
    NpgsqlDataSource dataSource,
    IServiceScopeFactory scopes,
    IOptions<DemoOptions> options,
    ILogger<DemoAccount> logger)
{
    private const string SeedResource = "PayTrack.Web.demo-backup.json";
    private volatile string? _userId;

    public async Task<string?> UserIdAsync(CancellationToken cancellationToken)
    {
        if (_userId is not null)
        {
            return _userId;
        }

        await using var command = dataSource.CreateCommand("SELECT id FROM identity_users WHERE normalized_email = @email");
        command.Parameters.AddWithValue("email", options.Value.Email.ToUpperInvariant());
        _userId = await command.ExecuteScalarAsync(cancellationToken) as string;
        return _userId;
    }

    /// <summary>Creates the demo account and loads its timecard, unless both are already there.</summary>
    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        await using var held = await SessionLock.WaitAsync(dataSource, "paytrack.demo-seed", cancellationToken);
        await SeedLockedAsync(held.Connection, cancellationToken);
    }

    private async Task SeedLockedAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = await FindOrCreateUserAsync(users, scope.ServiceProvider.GetRequiredService<TimeProvider>());
        if (user is null)
        {
            return;
        }

        if (await TimecardReads.AnyShiftAsync(connection, user.Id, cancellationToken))
        {
            _userId = user.Id;
            return;
        }

        await using var backup = OpenBackup();
        var result = await scope.ServiceProvider.GetRequiredService<BackupImport>().ImportAsync(user.Id, backup, cancellationToken);
        if (result.Succeeded)
        {
            LogSeeded(logger, result.ShiftsWritten);
        }
        else
        {
            LogNotSeeded(logger, result.Summary);
        }

        _userId = user.Id;
    }

    private async Task<AppUser?> FindOrCreateUserAsync(UserManager<AppUser> users, TimeProvider clock)
    {
        var email = options.Value.Email;
        var user = await users.FindByEmailAsync(email);
        if (user is not null)
        {
            return user;
        }

        user = new AppUser
        {
            UserName = email,
            Email = email,
            EmailConfirmed = true,
            CreatedAt = clock.GetUtcNow(),
            LockoutEnabled = true,
            LockoutEnd = DateTimeOffset.MaxValue,
        };
        var created = await users.CreateAsync(user);
        if (created.Succeeded)
        {
            return user;
        }

        LogNotSeeded(logger, string.Join(" ", created.Errors.Select(e => e.Description)));
        return null;
    }

    private Stream OpenBackup() =>
        options.Value.BackupFile is { Length: > 0 } path
            ? File.OpenRead(path)
            : typeof(DemoAccount).Assembly.GetManifestResourceStream(SeedResource)
              ?? throw new InvalidOperationException($"The built-in demo backup ({SeedResource}) is missing from the build.");

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo account loaded with {Shifts} shifts")]
    private static partial void LogSeeded(ILogger logger, int shifts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Demo account not loaded: {Reason}")]
    private static partial void LogNotSeeded(ILogger logger, string reason);
}

/// <summary>Seeds the demo when the web server starts (after the migrations, which run in the starting phase).</summary>
internal sealed partial class DemoSeeder(DemoAccount demo, ILogger<DemoSeeder> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await demo.SeedAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or IOException)
        {
            // The demo is a nicety: PayTrack serves its users without it, and visitors see the sign-in page instead.
            LogFailed(logger, ex);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Error, Message = "The demo account could not be prepared")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
