using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.WebUtilities;

namespace PayTrack.Web.Data;

/// <summary>
/// Encrypts Kronos passwords with Data Protection under a purpose of their own and their user's id, so a ciphertext
/// copied into another user's row does not decrypt there. The keys are wrapped with the key ring secret
/// (<see cref="KeyRingSecret"/>), which never enters the database.
/// </summary>
public sealed class ConnectionPasswords(IDataProtectionProvider protection)
{
    private const string Purpose = "PayTrack.KronosConnection.Password.v2";

    /// <summary>Passwords saved before the per-user purpose; rewritten at start-up, never read otherwise.</summary>
    private const string LegacyPurpose = "PayTrack.KronosConnection.Password.v1";

    private readonly IDataProtector _root = protection.CreateProtector(Purpose);

    public string Protect(string userId, string password) => For(userId).Protect(password);

    /// <summary>The password in clear; a <see cref="CryptographicException"/> when it was not saved for this user or its key is gone.</summary>
    public string Unprotect(string userId, string ciphertext) => For(userId).Unprotect(ciphertext);

    /// <summary>
    /// The ciphertext under the current key and this user's purpose, or null when it is already that (or cannot be
    /// read at all, which only the user can fix by saving the password again).
    /// </summary>
    internal string? Reprotect(string userId, string ciphertext)
    {
        var protector = (IPersistedDataProtector)For(userId);
        try
        {
            var plaintext = protector.DangerousUnprotect(WebEncoders.Base64UrlDecode(ciphertext), ignoreRevocationErrors: true, out var requiresMigration, out _);
            try
            {
                return requiresMigration ? WebEncoders.Base64UrlEncode(protector.Protect(plaintext)) : null;
            }
            finally
            {
                CryptographicOperations.ZeroMemory(plaintext);
            }
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException)
        {
        }

        try
        {
            return Protect(userId, protection.CreateProtector(LegacyPurpose).Unprotect(ciphertext));
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    private IDataProtector For(string userId)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        return _root.CreateProtector(userId);
    }
}
