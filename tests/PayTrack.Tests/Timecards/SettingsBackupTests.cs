using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Mvc.Testing;
using PayTrack.Tests.Infrastructure;
using static PayTrack.Tests.Timecards.TimecardTestKit;

namespace PayTrack.Tests.Timecards;

public sealed class SettingsBackupTests(PayTrackAppFactory app) : IClassFixture<PayTrackAppFactory>
{
    private async Task<(HttpClient Client, string UserId)> SignedInAsync(string email)
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        using var registered = await client.SubmitAsync("/account/register", new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = Password,
            ["Input.ConfirmPassword"] = Password,
        });
        Assert.Equal(HttpStatusCode.Redirect, registered.StatusCode);
        return (client, await UserIdAsync(email));
    }

    private async Task<string> UserIdAsync(string email)
    {
        await using var connection = new Npgsql.NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("SELECT id FROM identity_users WHERE email = @email", connection);
        command.Parameters.AddWithValue("email", email);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<HttpResponseMessage> UploadAsync(HttpClient client, byte[] file, bool withToken = true)
    {
        using var content = new MultipartFormDataContent();
        if (withToken)
        {
            content.Add(new StringContent(await client.AntiforgeryTokenAsync("/settings")), "__RequestVerificationToken");
        }

        var part = new ByteArrayContent(file);
        part.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        content.Add(part, "file", "backup.json");
        return await client.PostAsync("/settings/backup/import", content);
    }

    [Fact]
    public async Task UploadingABackupImportsItAndTheSettingsPageSaysWhat()
    {
        var (client, user) = await SignedInAsync("upload@example.edu");
        using (client)
        {
            using var response = await UploadAsync(client, await File.ReadAllBytesAsync(DemoBackupTests.SeedFile));

            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/settings?import=", response.RedirectPath(), StringComparison.Ordinal);
            var shifts = await app.ShiftsAsync(user);
            Assert.NotEmpty(shifts);
            var page = await client.GetStringAsync(response.RedirectPath());
            Assert.Contains($"Imported: {shifts.Count} new, 0 changed, 0 unchanged punches; {shifts.Count} shifts written.", page, StringComparison.Ordinal);
            Assert.Contains($"Your timecard holds {shifts.Count} shifts from Jan 17, 2023 to Dec 11, 2024", page, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task UploadingABadFileShowsWhereItIsWrongAndImportsNothing()
    {
        var (client, user) = await SignedInAsync("badupload@example.edu");
        using (client)
        {
            using var response = await UploadAsync(client, Encoding.UTF8.GetBytes("""{"format": "paytrack-backup", "version": 2, "employee": {"list": []}, "timecards": [{"employeeid": 1, "payruleid": 2, "periods": []}]}"""));

            var page = await client.GetStringAsync(response.RedirectPath());
            Assert.Contains("Nothing was imported.", page, StringComparison.Ordinal);
            Assert.Contains("<code>$.version</code>: This PayTrack reads version 1 backups; the file is version 2.", page, StringComparison.Ordinal);
            Assert.Empty(await app.ShiftsAsync(user));
        }
    }

    [Fact]
    public async Task AnUploadWithoutTheAntiforgeryTokenIsRefused()
    {
        var (client, user) = await SignedInAsync("forged@example.edu");
        using (client)
        {
            using var response = await UploadAsync(client, await File.ReadAllBytesAsync(DemoBackupTests.SeedFile), withToken: false);

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Empty(await app.ShiftsAsync(user));
            Assert.Equal(0, await CountAsync(app.ConnectionString, "SELECT count(*) FROM ingest_batches WHERE user_id = @user", user));
        }
    }

    [Fact]
    public async Task ExportsDownloadOnlyTheSignedInUsersData()
    {
        var (owner, ownerId) = await SignedInAsync("exporter@example.edu");
        var (other, _) = await SignedInAsync("bystander@example.edu");
        using (owner)
        using (other)
        {
            (await UploadAsync(owner, await File.ReadAllBytesAsync(DemoBackupTests.SeedFile))).Dispose();

            using var csv = await owner.GetAsync("/settings/backup/export.csv?from=2024-03-01&to=");
            using var othersCsv = await other.GetAsync("/settings/backup/export.csv?from=&to=");
            using var backup = await owner.GetAsync("/settings/backup/export");

            Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
            Assert.Equal("attachment", csv.Content.Headers.ContentDisposition?.DispositionType);
            Assert.StartsWith("paytrack-shifts-", csv.Content.Headers.ContentDisposition?.FileName?.Trim('"'), StringComparison.Ordinal);
            var rows = (await csv.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal((await app.ShiftsAsync(ownerId)).Count(s => s.LocalDate >= new DateOnly(2024, 3, 1)), rows.Length - 1);
            Assert.Equal(PayTrack.Web.Timecards.CsvExport.Header + "\n", await othersCsv.Content.ReadAsStringAsync());
            Assert.Contains("\"format\": \"paytrack-backup\"", await backup.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using var anonymous = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var refused = await anonymous.GetAsync("/settings/backup/export.csv");
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.StartsWith("/account/login", refused.RedirectPath(), StringComparison.Ordinal);
    }
}

/// <summary>PayTrack with a 2 KB backup limit, to see the limit work without a large file.</summary>
public sealed class SmallBackupLimitApp : PayTrackAppFactory
{
    public SmallBackupLimitApp() => WithSetting("PayTrack:Timecards:MaxBackupBytes", "2048");
}

public sealed class BackupSizeLimitTests(SmallBackupLimitApp app) : IClassFixture<SmallBackupLimitApp>
{
    [Fact]
    public async Task AFileOverTheLimitIsRefusedWhole()
    {
        var user = await app.CreateUserAsync("limit@example.edu");
        await using var file = File.OpenRead(DemoBackupTests.SeedFile);

        var result = await app.Service<PayTrack.Web.Timecards.BackupImport>().ImportAsync(user, file, CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Equal("Nothing was stored: The file is larger than 2 KB; nothing was imported.", result.Summary);
        Assert.Empty(await app.ShiftsAsync(user));
    }

    [Fact]
    public async Task AnUploadOverTheLimitIsTurnedAwayWithAMessage()
    {
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        (await client.SubmitAsync("/account/register", new Dictionary<string, string>
        {
            ["Input.Email"] = "bigupload@example.edu",
            ["Input.Password"] = Password,
            ["Input.ConfirmPassword"] = Password,
        })).Dispose();
        using var content = new MultipartFormDataContent
        {
            { new StringContent(await client.AntiforgeryTokenAsync("/settings")), "__RequestVerificationToken" },
            { new ByteArrayContent(new byte[200 * 1024]), "file", "big.json" },
        };

        using var response = await client.PostAsync("/settings/backup/import", content);

        Assert.Equal("/settings?importError=too-large", response.RedirectPath()?.Split('#')[0]);
        Assert.Contains("The file is larger than 2 KB; nothing was imported.", await client.GetStringAsync("/settings?importError=too-large"), StringComparison.Ordinal);
    }
}
