using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using PayTrack.Web.Data;

namespace PayTrack.Web.Api;

/// <summary>A token as its owner sees it on the settings page: never the token itself.</summary>
public sealed record ApiTokenInfo(long Id, string Name, string Prefix, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt);

/// <summary>A token just created: <see cref="Token"/> is shown this once and stored nowhere.</summary>
public sealed record CreatedApiToken(long Id, string Name, string Token);

/// <summary>Personal access tokens: created and revoked by their owner, checked on every API call by their SHA-256.</summary>
public sealed class ApiTokens(IDbContextFactory<PayTrackDbContext> contexts, TimeProvider clock)
{
    public const string TokenPrefix = "ptk_";
    public const int MaxPerUser = 20;
    public const int MaxNameLength = 100;

    /// <summary>Last use is recorded at most this often, so an API client does not turn every read into a write.</summary>
    private static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(5);

    public async Task<Outcome<CreatedApiToken>> CreateAsync(string userId, string? name, CancellationToken cancellationToken)
    {
        name = name?.Trim();
        if (string.IsNullOrEmpty(name))
        {
            return Outcome.Invalid("Give the token a name, so you can tell it apart later.");
        }

        if (name.Length > MaxNameLength)
        {
            return Outcome.Invalid($"The name can be at most {MaxNameLength} characters.");
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (await db.ApiTokens.CountAsync(t => t.UserId == userId, cancellationToken) >= MaxPerUser)
        {
            return Outcome.Refused($"You have {MaxPerUser} tokens already; revoke one you no longer use first.");
        }

        var token = TokenPrefix + Base64Url(RandomNumberGenerator.GetBytes(32));
        var entity = new ApiToken
        {
            UserId = userId,
            Name = name,
            TokenHash = Hash(token),
            Prefix = token[..12],
            CreatedAt = clock.GetUtcNow(),
        };
        db.ApiTokens.Add(entity);
        await db.SaveChangesAsync(cancellationToken);
        return Outcome.Of(new CreatedApiToken(entity.Id, name, token));
    }

    public async Task<IReadOnlyList<ApiTokenInfo>> ListAsync(string userId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.ApiTokens.AsNoTracking()
            .Where(t => t.UserId == userId)
            .OrderByDescending(t => t.CreatedAt)
            .Select(t => new ApiTokenInfo(t.Id, t.Name, t.Prefix, t.CreatedAt, t.LastUsedAt))
            .ToListAsync(cancellationToken);
    }

    /// <summary>Deletes one of the user's tokens.</summary>
    public async Task<Outcome> RevokeAsync(string userId, long tokenId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.ApiTokens.Where(t => t.Id == tokenId && t.UserId == userId).ExecuteDeleteAsync(cancellationToken) > 0
            ? Outcome.Ok()
            : Outcome.NotFound("There is no such token of yours.");
    }

    /// <summary>The user a token belongs to, or null for a token that is unknown or revoked.</summary>
    public async Task<string?> FindUserAsync(string token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (!token.StartsWith(TokenPrefix, StringComparison.Ordinal) || token.Length > 200)
        {
            return null;
        }

        var hash = Hash(token);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var found = await db.ApiTokens.AsNoTracking()
            .Where(t => t.TokenHash == hash)
            .Select(t => new { t.Id, t.UserId, t.LastUsedAt })
            .FirstOrDefaultAsync(cancellationToken);
        if (found is null)
        {
            return null;
        }

        var now = clock.GetUtcNow();
        if (found.LastUsedAt is null || now - found.LastUsedAt >= LastUsedResolution)
        {
            await db.ApiTokens.Where(t => t.Id == found.Id).ExecuteUpdateAsync(s => s.SetProperty(t => t.LastUsedAt, now), cancellationToken);
        }

        return found.UserId;
    }

    public static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
