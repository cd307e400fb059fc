using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using PayTrack.Web.Data;

namespace PayTrack.Web.CalendarFeed;

/// <summary>The user's calendar URL as the settings page lists it: never the secret itself.</summary>
public sealed record CalendarFeedInfo(string Prefix, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt);

/// <summary>
/// Private calendar URLs: one per user, made (and remade) and revoked by their owner, found on each request by the
/// SHA-256 of the token in the URL, as API tokens are.
/// </summary>
public sealed class CalendarFeeds(IDbContextFactory<PayTrackDbContext> contexts, TimeProvider clock)
{
    public const string TokenPrefix = "ptc_";

    private static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The path and query of the feed of <paramref name="token"/>, to append to the site's address. The secret is in
    /// the query, not the path, because request logs record paths (Serilog's request log writes the path only).
    /// </summary>
    public static string PathOf(string token) => "/calendar.ics?token=" + Uri.EscapeDataString(token);

    /// <summary>Makes a new secret for the user, ending the old one; the returned token is shown once and stored nowhere.</summary>
    public async Task<string> CreateAsync(string userId, CancellationToken cancellationToken)
    {
        var token = TokenPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Set<CalendarFeedToken>().Where(t => t.UserId == userId).ExecuteDeleteAsync(cancellationToken);
        db.Add(new CalendarFeedToken { UserId = userId, TokenHash = Hash(token), Prefix = token[..12], CreatedAt = clock.GetUtcNow() });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return token;
    }

    public async Task<CalendarFeedInfo?> FindAsync(string userId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Set<CalendarFeedToken>().AsNoTracking().Where(t => t.UserId == userId)
            .Select(t => new CalendarFeedInfo(t.Prefix, t.CreatedAt, t.LastUsedAt)).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>Ends the user's calendar URL.</summary>
    public async Task<Outcome> RevokeAsync(string userId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Set<CalendarFeedToken>().Where(t => t.UserId == userId).ExecuteDeleteAsync(cancellationToken) > 0
            ? Outcome.Ok()
            : Outcome.NotFound("There is no calendar address to turn off.");
    }

    /// <summary>The owner of <paramref name="token"/>, or null for a token that is malformed, unknown or revoked.</summary>
    public async Task<string?> FindUserAsync(string token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (!token.StartsWith(TokenPrefix, StringComparison.Ordinal) || token.Length > 100)
        {
            return null;
        }

        var hash = Hash(token);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var found = await db.Set<CalendarFeedToken>().AsNoTracking().Where(t => t.TokenHash == hash)
            .Select(t => new { t.Id, t.UserId, t.LastUsedAt }).FirstOrDefaultAsync(cancellationToken);
        if (found is null)
        {
            return null;
        }

        var now = clock.GetUtcNow();
        if (found.LastUsedAt is null || now - found.LastUsedAt >= LastUsedResolution)
        {
            await db.Set<CalendarFeedToken>().Where(t => t.Id == found.Id).ExecuteUpdateAsync(s => s.SetProperty(t => t.LastUsedAt, now), cancellationToken);
        }

        return found.UserId;
    }

    private static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));
}
