using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using System.Xml.Linq;

namespace PayTrack.Web.Data;

/// <summary>A start-up problem with the key ring's secret, said in one sentence for the operator.</summary>
public sealed class KeyRingSecretException(string message) : Exception(message);

/// <summary>
/// The key-encryption secret of the Data Protection key ring: the current one, which wraps every new key, and the
/// previous ones, which only unwrap. Each is known by a short id (a hash of the key, which reveals nothing of it).
/// </summary>
public sealed class KeyRingSecret
{
    public const string KeyFileName = "keyring.key";

    private const int MinimumSecretLength = 32;

    private readonly Dictionary<string, byte[]> _previous;

    private KeyRingSecret(byte[] current, IEnumerable<byte[]> previous, string source)
    {
        Current = current;
        CurrentId = IdOf(current);
        _previous = previous.ToDictionary(IdOf, k => k, StringComparer.Ordinal);
        Source = source;
    }

    public string CurrentId { get; }

    /// <summary>Where the current secret came from, for the start-up log (never the secret).</summary>
    public string Source { get; }

    internal byte[] Current { get; }

    /// <summary>
    /// The secret from the settings, else from the key file in PayTrack's data folder (created on first use, readable
    /// by its owner only). Outside Development and Testing, a server on a database of its own (a connection string)
    /// must be given a secret: a key file inside a container would be lost with it, and with it every stored password.
    /// </summary>
    public static KeyRingSecret Load(KeyRingOptions options, bool embeddedDatabase, bool isProduction, string dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(options);
        var previous = (options.PreviousKeys ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => Derive(p, "PayTrack:DataProtection:PreviousKeys")).ToList();
        if (!string.IsNullOrWhiteSpace(options.Key))
        {
            return new KeyRingSecret(Derive(options.Key, "PayTrack:DataProtection:Key"), previous, "the setting PayTrack:DataProtection:Key");
        }

        if (!string.IsNullOrWhiteSpace(options.KeyFile))
        {
            string text;
            try
            {
                text = File.ReadAllText(options.KeyFile);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new KeyRingSecretException($"PayTrack cannot read the key ring secret from {options.KeyFile} (PayTrack:DataProtection:KeyFile): {ex.Message}");
            }

            return new KeyRingSecret(Derive(text, "the file " + options.KeyFile), previous, "the file " + options.KeyFile);
        }

        if (!embeddedDatabase && isProduction)
        {
            throw new KeyRingSecretException(
                "PayTrack needs a secret to protect its encryption keys, and none is set. Set PayTrack__DataProtection__Key to a random " +
                "value of at least 32 characters (openssl rand -base64 32), or PayTrack__DataProtection__KeyFile to a file holding one, " +
                "and keep the same value for every node and every restart.");
        }

        var path = Path.Combine(dataDirectory, KeyFileName);
        return new KeyRingSecret(Derive(ReadOrCreateKeyFile(path), "the file " + path), previous, "the file " + path);
    }

    /// <summary>The key with this id: the current one or a previous one; null when PayTrack was not given it.</summary>
    internal byte[]? Find(string id) =>
        string.Equals(id, CurrentId, StringComparison.Ordinal) ? Current : _previous.GetValueOrDefault(id);

    private static string ReadOrCreateKeyFile(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var stream = new FileStream(path, options))
            {
                stream.Write(Encoding.ASCII.GetBytes(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) + "\n"));
                stream.Flush(flushToDisk: true);
            }
        }
        catch (IOException) when (File.Exists(path))
        {
            // Created before (or by another process a moment ago): read it.
        }

        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & ~(UnixFileMode.UserRead | UnixFileMode.UserWrite)) != UnixFileMode.None)
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return File.ReadAllText(path);
    }

    private static byte[] Derive(string secret, string where)
    {
        var trimmed = secret.Trim();
        if (trimmed.Length < MinimumSecretLength)
        {
            throw new KeyRingSecretException(
                $"The key ring secret from {where} is too short: it needs at least {MinimumSecretLength} characters (openssl rand -base64 32 makes one).");
        }

        return HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(trimmed), 32, info: "PayTrack key ring"u8.ToArray());
    }

    private static string IdOf(byte[] key) => Convert.ToHexStringLower(SHA256.HashData(key))[..16];
}

/// <summary>Wraps each new Data Protection key with the key ring secret (AES-256-GCM), so the database holds only ciphertext.</summary>
public sealed class KeyRingEncryptor(KeyRingSecret secret) : IXmlEncryptor
{
    internal const string ElementName = "paytrackWrappedKey";

    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        ArgumentNullException.ThrowIfNull(plaintextElement);
        return new EncryptedXmlInfo(Wrap(secret.CurrentId, secret.Current, plaintextElement), typeof(KeyRingDecryptor));
    }

    internal static XElement Wrap(string id, byte[] key, XElement plaintextElement)
    {
        var plaintext = Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        var nonce = RandomNumberGenerator.GetBytes(AesGcm.NonceByteSizes.MaxSize);
        var tag = new byte[AesGcm.TagByteSizes.MaxSize];
        var ciphertext = new byte[plaintext.Length];
        using (var aes = new AesGcm(key, tag.Length))
        {
            aes.Encrypt(nonce, plaintext, ciphertext, tag, Encoding.ASCII.GetBytes(id));
        }

        CryptographicOperations.ZeroMemory(plaintext);
        return new XElement(ElementName, new XAttribute("secret", id), Convert.ToBase64String([.. nonce, .. tag, .. ciphertext]));
    }
}

/// <summary>
/// Unwraps a key wrapped by <see cref="KeyRingEncryptor"/> with the secret of its id. Data Protection creates it
/// by name from the stored XML; without PayTrack's secret (a database copy alone) it cannot unwrap anything.
/// </summary>
public sealed class KeyRingDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        ArgumentNullException.ThrowIfNull(encryptedElement);
        var secret = services.GetService(typeof(KeyRingSecret)) as KeyRingSecret
            ?? throw new CryptographicException("The key ring secret is not available: this key cannot be unwrapped.");
        return Unwrap(secret, encryptedElement);
    }

    internal static string IdOf(XElement encryptedElement) => (string?)encryptedElement.Attribute("secret") ?? "";

    internal static XElement Unwrap(KeyRingSecret secret, XElement encryptedElement)
    {
        var id = IdOf(encryptedElement);
        var key = secret.Find(id)
            ?? throw new CryptographicException($"This key was wrapped with a key ring secret PayTrack was not given (id {id}); add it to PayTrack:DataProtection:PreviousKeys.");
        var data = Convert.FromBase64String(encryptedElement.Value);
        var nonceSize = AesGcm.NonceByteSizes.MaxSize;
        var tagSize = AesGcm.TagByteSizes.MaxSize;
        var plaintext = new byte[data.Length - nonceSize - tagSize];
        using (var aes = new AesGcm(key, tagSize))
        {
            aes.Decrypt(data.AsSpan(0, nonceSize), data.AsSpan(nonceSize + tagSize), data.AsSpan(nonceSize, tagSize), plaintext, Encoding.ASCII.GetBytes(id));
        }

        try
        {
            return XElement.Parse(Encoding.UTF8.GetString(plaintext));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }
}
