using System.Security.Cryptography;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using PayTrack.Tests.Infrastructure;
using PayTrack.Web.Data;
using PayTrack.Web.Connections;
using static PayTrack.Tests.Timecards.TimecardTestKit;

namespace PayTrack.Tests.Security;

/// <summary>Issue 10, point 1: the key ring is wrapped with a secret outside the database, and each password is bound to its user.</summary>
public sealed class KeyRingTests
{
    private const string OtherKey = "a-second-key-ring-secret-9876543210fedcba";

    [Fact]
    public async Task DecryptingAStoredPasswordWithOnlyWhatTheDatabaseHoldsFails()
    {
        await using var app = new PayTrackAppFactory();
        await app.InitializeAsync();
        var user = await app.CreateUserAsync("keyring-copy@example.edu");
        await SaveAsync(app, user, "Kronos-pw-1!");
        Assert.Equal("Kronos-pw-1!", Reveal(app, user));

        var (keys, ciphertext) = await DumpAsync(app.ConnectionString, user);
        Assert.NotEmpty(keys);
        Assert.All(keys, k => Assert.DoesNotContain("<masterKey", k, StringComparison.Ordinal));

        // Everything an attacker with a dump has: the rows, the application name, and every purpose PayTrack uses.
        var attacker = Attacker(keys);
        foreach (var protector in new[]
        {
            attacker.CreateProtector("PayTrack.KronosConnection.Password.v2").CreateProtector(user),
            attacker.CreateProtector("PayTrack.KronosConnection.Password.v1"),
        })
        {
            Assert.ThrowsAny<CryptographicException>(() => protector.Unprotect(ciphertext));
        }
    }

    [Fact]
    public async Task NewKeysEncryptWithAesGcm()
    {
        await using var app = new PayTrackAppFactory();
        await app.InitializeAsync();
        var user = await app.CreateUserAsync("keyring-gcm@example.edu");
        await SaveAsync(app, user, "Kronos-pw-1!");

        // AES-256-GCM: one pass that encrypts and authenticates, where the default (AES-256-CBC and HMAC-SHA256) makes
        // two, each with a cipher object of its own, for every cookie, antiforgery token and page marker (decision 0039).
        var keys = await KeysAsync(app.ConnectionString);
        Assert.NotEmpty(keys);
        Assert.All(keys, k => Assert.Equal("AES_256_GCM", XElement.Parse(k).Descendants("encryption").Single().Attribute("algorithm")?.Value));
        Assert.Equal("Kronos-pw-1!", Reveal(app, user));
    }

    [Fact]
    public async Task APasswordCopiedIntoAnotherUsersRowDoesNotDecrypt()
    {
        await using var app = new PayTrackAppFactory();
        await app.InitializeAsync();
        var ana = await app.CreateUserAsync("keyring-ana@example.edu");
        var ben = await app.CreateUserAsync("keyring-ben@example.edu");
        await SaveAsync(app, ana, "Ana-secret-1!");
        await SaveAsync(app, ben, "Ben-secret-1!");

        await ExecuteAsync(app.ConnectionString,
            "UPDATE kronos_connections SET protected_password = (SELECT protected_password FROM kronos_connections WHERE user_id = @ana) WHERE user_id = @ben",
            ("ana", ana), ("ben", ben));

        var stored = await app.Service<KronosConnections>().FindAsync(ben, CancellationToken.None);
        Assert.ThrowsAny<CryptographicException>(() => app.Service<KronosConnections>().RevealPassword(stored!));
        var opened = app.Service<KronosConnections>().Open(stored!);
        Assert.Null(opened.Value);
        Assert.Contains("Save the connection again", opened.Message, StringComparison.Ordinal);
        Assert.Equal("Ana-secret-1!", Reveal(app, ana));
    }

    [Fact]
    public async Task RotatingTheSecretKeepsEveryStoredPassword()
    {
        var database = await TestCluster.CreateDatabaseAsync(nameof(RotatingTheSecretKeepsEveryStoredPassword));
        string user;
        string firstId;
        await using (var before = Node(database))
        {
            await before.InitializeAsync();
            user = await before.CreateUserAsync("keyring-rotate@example.edu");
            await SaveAsync(before, user, "Rotate-me-1!");
            firstId = Assert.Single(SecretIds(await KeysAsync(database)));
        }

        await using (var rotating = Node(database).WithSetting("PayTrack:DataProtection:Key", OtherKey).WithSetting("PayTrack:DataProtection:PreviousKeys", PayTrackAppFactory.KeyRingKey))
        {
            await rotating.InitializeAsync();
            Assert.Equal("Rotate-me-1!", Reveal(rotating, user));
            Assert.NotEqual(firstId, Assert.Single(SecretIds(await KeysAsync(database))));
        }

        await using var after = Node(database).WithSetting("PayTrack:DataProtection:Key", OtherKey);
        await after.InitializeAsync();
        Assert.Equal("Rotate-me-1!", Reveal(after, user));
    }

    [Fact]
    public async Task KeysAndPasswordsStoredBeforeTheSecretAreWrappedAndRebound()
    {
        var database = await TestCluster.CreateDatabaseAsync(nameof(KeysAndPasswordsStoredBeforeTheSecretAreWrappedAndRebound));
        string user;
        await using (var first = Node(database))
        {
            await first.InitializeAsync();
            user = await first.CreateUserAsync("keyring-legacy@example.edu");
        }

        // What an older PayTrack stored: a key ring in clear and a password under one purpose for everyone.
        var legacyKeys = new MemoryRepository([]);
        var legacy = Provider(legacyKeys);
        var oldCiphertext = legacy.CreateProtector("PayTrack.KronosConnection.Password.v1").Protect("Legacy-pw-1!");
        await ExecuteAsync(database, "DELETE FROM data_protection_keys");
        foreach (var key in legacyKeys.GetAllElements())
        {
            Assert.Contains("<masterKey", key.ToString(), StringComparison.Ordinal);
            await ExecuteAsync(database, "INSERT INTO data_protection_keys (friendly_name, xml) VALUES (@name, @xml)",
                ("name", "key-" + (string?)key.Attribute("id")), ("xml", key.ToString(SaveOptions.DisableFormatting)));
        }

        await ExecuteAsync(database, """
            INSERT INTO kronos_connections (user_id, base_url, username, protected_password, time_zone, status, created_at, updated_at)
            VALUES (@user, 'https://timecard.example.edu/api', 'ana', @password, 'America/New_York', 'pending', now(), now())
            """, ("user", user), ("password", oldCiphertext));

        await using var upgraded = Node(database);
        await upgraded.InitializeAsync();
        Assert.Equal("Legacy-pw-1!", Reveal(upgraded, user));
        var (keys, ciphertext) = await DumpAsync(database, user);
        Assert.NotEqual(oldCiphertext, ciphertext);
        Assert.All(keys, k => Assert.DoesNotContain("<masterKey", k, StringComparison.Ordinal));
        Assert.ThrowsAny<CryptographicException>(() => Attacker(keys).CreateProtector("PayTrack.KronosConnection.Password.v1").Unprotect(oldCiphertext));
    }

    [Fact]
    public async Task AServerOnItsOwnDatabaseInProductionRefusesToStartWithoutASecret()
    {
        var database = await TestCluster.CreateDatabaseAsync(nameof(AServerOnItsOwnDatabaseInProductionRefusesToStartWithoutASecret));
        var (exitCode, output) = await PayTrackProcess.RunAsync(["users", "list"], new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["ConnectionStrings__PayTrack"] = database,
            ["PayTrack__DataProtection__Key"] = null,
        });

        Assert.Equal(2, exitCode);
        Assert.Contains("PayTrack__DataProtection__Key", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", output, StringComparison.Ordinal);
        Assert.True(output.Length < 500, output);
    }

    private static PayTrackAppFactory Node(string database) => new() { SharedConnectionString = database };

    private static async Task SaveAsync(PayTrackAppFactory app, string user, string password) =>
        Assert.Equal(Outcome.Ok(), await app.Service<KronosConnections>().SaveAsync(user, new KronosConnectionInput("https://timecard.example.edu/api", "ana", password, "America/New_York"), CancellationToken.None));

    private static string Reveal(PayTrackAppFactory app, string user)
    {
        var connections = app.Service<KronosConnections>();
        return connections.RevealPassword(connections.FindAsync(user, CancellationToken.None).GetAwaiter().GetResult()!);
    }

    private static IEnumerable<string> SecretIds(IEnumerable<string> keys) =>
        keys.SelectMany(k => XElement.Parse(k).Descendants("paytrackWrappedKey")).Select(e => (string)e.Attribute("secret")!).Distinct();

    private static IDataProtectionProvider Attacker(IEnumerable<string> keys) => Provider(new MemoryRepository(keys.Select(XElement.Parse).ToList()));

    private static IDataProtectionProvider Provider(MemoryRepository repository)
    {
        var services = new ServiceCollection();
        services.AddDataProtection().SetApplicationName("PayTrack");
        services.Configure<KeyManagementOptions>(o => o.XmlRepository = repository);
        return services.BuildServiceProvider().GetRequiredService<IDataProtectionProvider>();
    }

    private static async Task<(List<string> Keys, string Ciphertext)> DumpAsync(string connectionString, string user)
    {
        var keys = await KeysAsync(connectionString);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT protected_password FROM kronos_connections WHERE user_id = @user", connection);
        command.Parameters.AddWithValue("user", user);
        return (keys, (string)(await command.ExecuteScalarAsync())!);
    }

    private static async Task<List<string>> KeysAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT xml FROM data_protection_keys ORDER BY id", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var keys = new List<string>();
        while (await reader.ReadAsync())
        {
            keys.Add(reader.GetString(0));
        }

        return keys;
    }

    private static async Task ExecuteAsync(string connectionString, string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await command.ExecuteNonQueryAsync();
    }

    private sealed class MemoryRepository(List<XElement> elements) : IXmlRepository
    {
        public IReadOnlyCollection<XElement> GetAllElements() => elements.ToList();

        public void StoreElement(XElement element, string friendlyName) => elements.Add(element);
    }
}
