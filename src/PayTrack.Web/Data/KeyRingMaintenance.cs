using System.Xml.Linq;
using Microsoft.EntityFrameworkCore;

namespace PayTrack.Web.Data;

/// <summary>
/// Runs at every start, after the migrations: wraps keys stored in clear (before PayTrack had a key ring secret) and
/// keys wrapped with a previous secret with the current one, then re-encrypts stored Kronos passwords that are not
/// under the current key and their user's purpose. Rotating the secret or the keys therefore loses no password.
/// </summary>
public sealed partial class KeyRingMaintenance(
    IDbContextFactory<PayTrackDbContext> contexts,
    KeyRingSecret secret,
    ConnectionPasswords passwords,
    ILogger<KeyRingMaintenance> logger)
{
    private static readonly XNamespace DataProtectionNamespace = "http://schemas.asp.net/2015/03/dataProtection";

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rewrapped = 0;
        foreach (var row in await db.DataProtectionKeys.ToListAsync(cancellationToken))
        {
            var xml = XElement.Parse(row.Xml);
            if (Rewrap(xml))
            {
                row.Xml = xml.ToString(SaveOptions.DisableFormatting);
                rewrapped++;
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        if (rewrapped > 0)
        {
            LogRewrapped(logger, rewrapped, secret.Source);
        }

        var reencrypted = 0;
        foreach (var connection in await db.KronosConnections.ToListAsync(cancellationToken))
        {
            if (passwords.Reprotect(connection.UserId, connection.ProtectedPassword) is { } fresh)
            {
                // Only if the user did not save a new password meanwhile (another node, or the page).
                reencrypted += await db.KronosConnections
                    .Where(c => c.Id == connection.Id && c.ProtectedPassword == connection.ProtectedPassword)
                    .ExecuteUpdateAsync(s => s.SetProperty(c => c.ProtectedPassword, fresh), cancellationToken);
            }
        }

        if (reencrypted > 0)
        {
            LogReencrypted(logger, reencrypted);
        }
    }

    /// <summary>Wraps what a key element holds in clear, and rewraps what a previous secret wrapped; true when it changed.</summary>
    internal bool Rewrap(XElement key)
    {
        var changed = false;
        foreach (var wrapped in key.Descendants(KeyRingEncryptor.ElementName).ToList())
        {
            if (!string.Equals(KeyRingDecryptor.IdOf(wrapped), secret.CurrentId, StringComparison.Ordinal))
            {
                wrapped.ReplaceWith(KeyRingEncryptor.Wrap(secret.CurrentId, secret.Current, KeyRingDecryptor.Unwrap(secret, wrapped)));
                changed = true;
            }
        }

        var clear = key.Descendants()
            .Where(e => string.Equals((string?)e.Attribute(DataProtectionNamespace + "requiresEncryption"), "true", StringComparison.OrdinalIgnoreCase))
            .Where(e => !e.Ancestors(DataProtectionNamespace + "encryptedSecret").Any())
            .ToList();
        foreach (var element in clear)
        {
            element.ReplaceWith(new XElement(
                DataProtectionNamespace + "encryptedSecret",
                new XAttribute("decryptorType", typeof(KeyRingDecryptor).AssemblyQualifiedName!),
                KeyRingEncryptor.Wrap(secret.CurrentId, secret.Current, element)));
            changed = true;
        }

        return changed;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Wrapped {Count} Data Protection keys with the key ring secret from {Source}")]
    private static partial void LogRewrapped(ILogger logger, int count, string source);

    [LoggerMessage(Level = LogLevel.Information, Message = "Re-encrypted {Count} stored Kronos passwords under the current key")]
    private static partial void LogReencrypted(ILogger logger, int count);
}
