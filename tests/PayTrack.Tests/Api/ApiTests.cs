using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Npgsql;
using PayTrack.Tests.Dashboard;
using PayTrack.Tests.Infrastructure;
using PayTrack.Tests.Timecards;
using PayTrack.Web.Api;
using static PayTrack.Tests.Dashboard.DashboardTestKit;

namespace PayTrack.Tests.Api;

public sealed class ApiTests(DashboardAppFactory app) : IClassFixture<DashboardAppFactory>
{
    private async Task<(string UserId, string Token)> UserWithTokenAsync(string email)
    {
        var userId = await app.CreateUserAsync(email);
        await app.IngestAsync(userId, WorkedExample);
        var created = await app.Service<ApiTokens>().CreateAsync(userId, "tests", CancellationToken.None);
        Assert.True(created.Succeeded, created.Message);
        return (userId, created.Value!.Token);
    }

    private HttpClient WithToken(string token)
    {
        var client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    [Fact]
    public async Task ATokenReadsItsOwnersSummaryPerWorkweekAndPayPeriod()
    {
        var (_, token) = await UserWithTokenAsync("api-summary@example.edu");
        using var client = WithToken(token);

        using var response = await client.GetAsync("/api/summary?from=2024-12-08&to=2024-12-14");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var week = json.RootElement.GetProperty("workweeks").EnumerateArray().Single();
        var period = json.RootElement.GetProperty("pay_periods").EnumerateArray().Single();

        Assert.Equal(("2024-12-08", 24m, 0m, 350.40m), (week.GetProperty("start").GetString(), week.GetProperty("hours").GetDecimal(), week.GetProperty("overtime_hours").GetDecimal(), week.GetProperty("gross_pay").GetDecimal()));
        Assert.Equal(("2024-12-08", "2024-12-21", "2024-12-27", 24m, 0m, 350.40m),
            (period.GetProperty("start").GetString(), period.GetProperty("end").GetString(), period.GetProperty("payday").GetString(),
             period.GetProperty("hours").GetDecimal(), period.GetProperty("overtime_hours").GetDecimal(), period.GetProperty("gross_pay").GetDecimal()));
    }

    [Fact]
    public async Task ATokenReadsItsOwnersShiftsInTheRange()
    {
        var (_, token) = await UserWithTokenAsync("api-shifts@example.edu");
        using var client = WithToken(token);

        using var json = JsonDocument.Parse(await client.GetStringAsync("/api/shifts?from=2024-12-09&to=2024-12-10"));
        var shifts = json.RootElement.EnumerateArray().ToList();

        Assert.Equal(["2024-12-09", "2024-12-10", "2024-12-10"], shifts.Select(s => s.GetProperty("date").GetString()));
        var open = shifts.Single(s => s.GetProperty("status").GetString() == "missing_out");
        Assert.Equal(JsonValueKind.Null, open.GetProperty("end").ValueKind);
        Assert.Equal("2024-12-10T17:00:00-05:00", open.GetProperty("start").GetString());
        Assert.Equal(20417, open.GetProperty("job").GetProperty("employee_id").GetInt64());
    }

    [Fact]
    public async Task TheCsvExportHoldsTheSameShiftsAsTheApi()
    {
        var (_, token) = await UserWithTokenAsync("api-csv@example.edu");
        using var client = WithToken(token);

        var csv = await client.GetStringAsync("/export/shifts.csv?from=2024-01-01&to=2024-12-31");
        using var json = JsonDocument.Parse(await client.GetStringAsync("/api/shifts?from=2024-01-01&to=2024-12-31"));

        var lines = csv.TrimEnd('\n').Split('\n');
        Assert.Equal("date,employee_id,pay_rule_id,department,start,end,minutes,paid_minutes,status,edited,source,note", lines[0]);
        var fromApi = json.RootElement.EnumerateArray().Select(s => string.Join(',',
            s.GetProperty("date").GetString(), s.GetProperty("job").GetProperty("employee_id").GetInt64().ToString(CultureInfo.InvariantCulture),
            s.GetProperty("job").GetProperty("pay_rule_id").GetInt64().ToString(CultureInfo.InvariantCulture),
            s.GetProperty("start").GetString(), s.GetProperty("end").GetString() ?? "",
            s.GetProperty("minutes").GetInt32().ToString(CultureInfo.InvariantCulture), s.GetProperty("paid_minutes").GetInt32().ToString(CultureInfo.InvariantCulture),
            s.GetProperty("status").GetString(), s.GetProperty("edited").GetBoolean() ? "true" : "false", s.GetProperty("source").GetString()));
        var fromCsv = lines.Skip(1).Select(CsvLine.Fields).Select(f => string.Join(',', f[0], f[1], f[2], f[4], f[5], f[6], f[7], f[8], f[9], f[10]));
        Assert.Equal(fromApi, fromCsv);
        Assert.Equal(7, lines.Length - 1);
    }

    [Fact]
    public async Task TheSignInCookieAlsoOpensTheApi()
    {
        var (userId, client) = await app.SignedInAsync("api-cookie@example.edu");
        await app.IngestAsync(userId, WorkedExample);

        using var response = await client.GetAsync("/api/summary?from=2024-12-01&to=2024-12-31");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"gross_pay\":393.00", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/shifts")]
    [InlineData("/api/summary")]
    [InlineData("/export/shifts.csv")]
    public async Task WithoutCredentialsTheApiAnswers401WithAProblem(string path)
    {
        using var client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(401, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Equal("Not signed in", problem.RootElement.GetProperty("title").GetString());
    }

    [Fact]
    public async Task ARevokedOrMistypedTokenIsRefusedWithoutEchoingIt()
    {
        var (userId, token) = await UserWithTokenAsync("api-revoked@example.edu");
        var tokens = app.Service<ApiTokens>();
        var id = (await tokens.ListAsync(userId, CancellationToken.None)).Single().Id;
        Assert.True((await tokens.RevokeAsync(userId, id, CancellationToken.None)).Succeeded);

        foreach (var attempt in new[] { token, token[..^1] + (token[^1] == 'A' ? 'B' : 'A'), "not-a-token" })
        {
            using var client = WithToken(attempt);
            using var response = await client.GetAsync("/api/shifts");
            var body = await response.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
            Assert.Contains("not valid", body, StringComparison.Ordinal);
            Assert.DoesNotContain(attempt, body, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("/api/shifts?from=2024-13-01", "'from' must be a date written YYYY-MM-DD")]
    [InlineData("/api/shifts?to=yesterday", "'to' must be a date written YYYY-MM-DD")]
    [InlineData("/api/summary?from=2024-12-31&to=2024-12-01", "'from' (2024-12-31) is after 'to' (2024-12-01).")]
    [InlineData("/api/summary?from=2000-01-01&to=2024-12-31", "A summary covers at most 3660 days")]
    [InlineData("/export/shifts.csv?from=12/01/2024", "'from' must be a date written YYYY-MM-DD")]
    public async Task ABadQueryGetsA400ThatSaysWhy(string path, string expected)
    {
        var (_, token) = await UserWithTokenAsync($"api-bad-{path.Length}-{expected.Length}@example.edu");
        using var client = WithToken(token);

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(expected, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OnlyTheTokensHashIsStoredAndItsUseIsRecorded()
    {
        var (userId, token) = await UserWithTokenAsync("api-hash@example.edu");
        using (var client = WithToken(token))
        {
            (await client.GetAsync("/api/shifts")).EnsureSuccessStatusCode();
        }

        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT row_to_json(t)::text, t.token_hash, t.last_used_at FROM api_tokens t WHERE user_id = @user", connection);
        command.Parameters.AddWithValue("user", userId);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.DoesNotContain(token[4..], reader.GetString(0), StringComparison.Ordinal);
        Assert.Equal(SHA256.HashData(Encoding.UTF8.GetBytes(token)), (byte[])reader[1]);
        Assert.Equal(DashboardAppFactory.Wednesday, reader.GetFieldValue<DateTimeOffset>(2));
    }
}
