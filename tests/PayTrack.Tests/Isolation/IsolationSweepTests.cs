using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using PayTrack.Tests.Dashboard;
using PayTrack.Tests.Infrastructure;
using PayTrack.Tests.Timecards;
using PayTrack.Web.Data;
using PayTrack.Web.Connections;
using PayTrack.Web.Api;
using PayTrack.Web.Dashboard;
using PayTrack.Web.Kronos;
using PayTrack.Web.Pay;
using PayTrack.Web.Timecards;
using static PayTrack.Tests.Timecards.TimecardTestKit;

namespace PayTrack.Tests.Isolation;

/// <summary>
/// Every endpoint the app maps (pages, API, exports, form posts, whatever is added later) is called by
/// a second user, Bob, with his cookie, with his API token and as a visitor, with Alice's ids in every route value,
/// query and form field that could name one. No answer may contain anything of Alice's, and no row of hers may change.
/// </summary>
public sealed partial class IsolationSweepTests(DashboardAppFactory app) : IClassFixture<DashboardAppFactory>
{
    private const string AliceEmail = "alice-isolation@example.edu";
    private const string AliceDepartment = "Zebra Archive 7731";
    private const string AliceEmployeeId = "97733101";
    private const string AliceNote = "alice-secret-note-5521";
    private const string AliceTokenName = "alice-token-name-8842";
    private const string AliceKronosUser = "alice-kronos-user-4471";
    private const string AliceKronosHost = "alice-kronos-6613.example.edu";

    private static readonly string[] Markers = [AliceEmail, AliceDepartment, AliceEmployeeId, AliceNote, AliceTokenName, AliceKronosUser, AliceKronosHost];

    private static readonly string[] QueryNames = ["id", "shiftId", "shift", "edit", "fix", "job", "jobId", "tokenId", "rateId", "batchId", "batch", "import", "user", "userId"];

    [Fact]
    public async Task ASecondUserGetsNothingOfTheFirstUsersDataFromAnyEndpoint()
    {
        var alice = await SeedAliceAsync();
        var bob = await SeedBobAsync();
        var before = await RowsOfAsync(alice.UserId);
        var principals = new (string Name, Func<HttpRequestMessage, HttpRequestMessage> Sign)[]
        {
            ("Bob's cookie", r => WithCookies(r, bob.Cookies)),
            ("Bob's token", r => { r.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", bob.Token); return r; }),
            ("a visitor", r => r),
        };

        var endpoints = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        var leaks = new List<string>();
        var swept = new HashSet<string>(StringComparer.Ordinal);
        using var client = app.CreateDefaultClient();
        foreach (var endpoint in endpoints)
        {
            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"];
            foreach (var path in Paths(endpoint.RoutePattern, alice))
            {
                swept.Add(endpoint.RoutePattern.RawText ?? path);
                foreach (var method in methods)
                {
                    foreach (var (who, sign) in principals)
                    {
                        foreach (var url in Urls(path, alice))
                        {
                            var body = await SendAsync(client, sign(Request(method, url, alice, bob.Antiforgery)));
                            leaks.AddRange(Markers.Where(m => body.Contains(m, StringComparison.OrdinalIgnoreCase)).Select(m => $"{method} {url} as {who} showed \"{m}\""));
                        }
                    }

                    if (method == "GET")
                    {
                        // Every form Bob's own copy of the page offers, posted back with Alice's ids in it.
                        var page = await SendAsync(client, WithCookies(Request("GET", path, alice, null), bob.Cookies));
                        foreach (var post in FormPosts(page, path, alice))
                        {
                            var body = await SendAsync(client, WithCookies(post, bob.Cookies));
                            leaks.AddRange(Markers.Where(m => body.Contains(m, StringComparison.OrdinalIgnoreCase)).Select(m => $"form post to {path} as Bob showed \"{m}\""));
                        }
                    }
                }
            }
        }

        Assert.Empty(leaks);
        Assert.Equal(before, await RowsOfAsync(alice.UserId));
        Assert.Superset(new HashSet<string>(["/", "/shifts", "/charts", "/settings", "/api/shifts", "/api/summary", "/export/shifts.csv", "/settings/backup/export", "/settings/backup/export.csv"], StringComparer.Ordinal), swept);
        await AliceSeesHerOwnMarkersAsync(client, alice);
    }

    /// <summary>The control: the same requests as Alice do show her data, so a silent sweep means isolation, not blindness.</summary>
    private static async Task AliceSeesHerOwnMarkersAsync(HttpClient client, Actor alice)
    {
        var seen = new StringBuilder();
        foreach (var path in new[] { "/settings", "/api/shifts", "/shifts", "/" })
        {
            seen.Append(await SendAsync(client, WithCookies(Request("GET", path, alice, null), alice.Cookies)));
        }

        Assert.All(Markers, m => Assert.Contains(m, seen.ToString(), StringComparison.OrdinalIgnoreCase));
    }

    private sealed record Actor(string UserId, string Cookies, string Antiforgery, string Token, IReadOnlyDictionary<string, long[]> Ids);

    private async Task<Actor> SeedAliceAsync()
    {
        var userId = await app.CreateUserAsync(AliceEmail);
        var jobs = new EmployeeList
        {
            List = [new EmployeeJob { FirstName = "Alice", EmployeeId = long.Parse(AliceEmployeeId, CultureInfo.InvariantCulture), DepartmentDesc = AliceDepartment, PayRuleId = 41, BaseWageRate = 16.75m }],
        };
        var result = await app.IngestAsync(userId, [Timecard(long.Parse(AliceEmployeeId, CultureInfo.InvariantCulture), 41,
            [Period("2024-12-08", "2024-12-21", Punch("A-1", "2024-12-09T14:00:00Z", "2024-12-09T18:00:00Z"), Punch("A-2", "2024-12-10T14:00:00Z", null))])], jobs);
        var jobId = (await app.Service<ShiftQueries>().ListAsync(userId, null, null, CancellationToken.None))[0].Shift.JobId;
        var manual = await app.Service<ManualShifts>().AddAsync(userId, new ManualShiftRequest(jobId, Utc("2024-12-11T14:00:00Z"), Utc("2024-12-11T16:00:00Z"), AliceNote), CancellationToken.None);
        Assert.True(manual.Succeeded, manual.Message);
        Assert.Equal(Outcome.Ok(), await app.Service<PaySettingsStore>().AddRateAsync(userId, jobId, new DateOnly(2024, 12, 1), 17.25m, CancellationToken.None));
        Assert.Equal(Outcome.Ok(), await app.Service<PaySettingsStore>().SaveAsync(userId, new PayOptions { WeeklyCapHours = 19 }, CancellationToken.None));
        var token = (await app.Service<ApiTokens>().CreateAsync(userId, AliceTokenName, CancellationToken.None)).Value;
        Assert.Equal(Outcome.Ok(), await app.Service<KronosConnections>().SaveAsync(userId, new KronosConnectionInput($"https://{AliceKronosHost}/api", AliceKronosUser, "alice-password", "America/Chicago"), CancellationToken.None));
        var (cookies, antiforgery) = await SignInAsync(AliceEmail);
        var ids = await IdsOfAsync(userId);
        Assert.Contains(result.BatchId, ids["batch"]);
        return new Actor(userId, cookies, antiforgery, token!.Token, ids);
    }

    private async Task<Actor> SeedBobAsync()
    {
        const string email = "bob-isolation@example.edu";
        var userId = await app.CreateUserAsync(email);
        await app.IngestAsync(userId, DashboardTestKit.WorkedExample);
        var jobId = (await app.Service<ShiftQueries>().ListAsync(userId, null, null, CancellationToken.None))[0].Shift.JobId;
        await app.Service<ManualShifts>().AddAsync(userId, new ManualShiftRequest(jobId, Utc("2024-12-12T14:00:00Z"), Utc("2024-12-12T16:00:00Z"), "bob's own"), CancellationToken.None);
        Assert.Equal(Outcome.Ok(), await app.Service<PaySettingsStore>().AddRateAsync(userId, jobId, new DateOnly(2024, 12, 1), 18m, CancellationToken.None));
        var token = (await app.Service<ApiTokens>().CreateAsync(userId, "bob's token", CancellationToken.None)).Value;
        var (cookies, antiforgery) = await SignInAsync(email);
        return new Actor(userId, cookies, antiforgery, token!.Token, await IdsOfAsync(userId, everyKind: false));
    }

    /// <summary>Signs in through the page; returns the Cookie header value and an antiforgery token paired with it.</summary>
    private async Task<(string Cookies, string Antiforgery)> SignInAsync(string email)
    {
        var jar = new CookieContainer();
        using (var browser = app.CreateDefaultClient(new CookieContainerHandler(jar)))
        {
            using var response = await browser.SubmitAsync("/account/login", new Dictionary<string, string> { ["Input.Email"] = email, ["Input.Password"] = Password });
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            var token = await browser.AntiforgeryTokenAsync("/settings");
            return (jar.GetCookieHeader(new Uri("http://localhost/")), token);
        }
    }

    /// <summary>Alice's ids of each kind, read straight from the tables.</summary>
    private async Task<Dictionary<string, long[]>> IdsOfAsync(string userId, bool everyKind = true)
    {
        var ids = new Dictionary<string, long[]>(StringComparer.Ordinal);
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        foreach (var (kind, table) in new[] { ("shift", "shifts"), ("job", "jobs"), ("token", "api_tokens"), ("rate", "pay_rate_changes"), ("batch", "ingest_batches"), ("connection", "kronos_connections"), ("punch", "raw_punches") })
        {
            await using var command = new NpgsqlCommand($"SELECT id FROM {table} WHERE user_id = @user ORDER BY id", connection);
            command.Parameters.AddWithValue("user", userId);
            var list = new List<long>();
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                list.Add(reader.GetInt64(0));
            }

            Assert.True(!everyKind || list.Count > 0, $"the sweep needs at least one row of {table}");
            ids[kind] = [.. list];
        }

        return ids;
    }

    /// <summary>Alice's ids that a value of this name could stand for: all of them when the name does not say.</summary>
    private static IEnumerable<string> IdsFor(string name, Actor alice)
    {
        var lower = name.ToLowerInvariant();
        if (lower.Contains("user", StringComparison.Ordinal))
        {
            return [alice.UserId];
        }

        var kind = alice.Ids.Keys.FirstOrDefault(k => lower.Contains(k, StringComparison.Ordinal))
            ?? (lower is "edit" or "fix" ? "shift" : lower is "import" ? "batch" : null);
        return kind is null
            ? alice.Ids.Values.SelectMany(v => v).Distinct().Select(Number)
            : alice.Ids[kind].Select(Number);
    }

    private static IEnumerable<string> Paths(RoutePattern pattern, Actor alice)
    {
        IEnumerable<string> paths = [""];
        foreach (var segment in pattern.PathSegments)
        {
            var options = new List<string> { "" };
            foreach (var part in segment.Parts)
            {
                var values = part switch
                {
                    RoutePatternLiteralPart literal => [literal.Content],
                    RoutePatternSeparatorPart separator => [separator.Content],
                    RoutePatternParameterPart parameter when parameter.Name.Equals("code", StringComparison.OrdinalIgnoreCase) => ["404", "500"],
                    RoutePatternParameterPart parameter => IdsFor(parameter.Name, alice).Take(12).ToList(),
                    _ => new List<string> { "" },
                };
                options = options.SelectMany(o => values.Select(v => o + v)).ToList();
            }

            paths = paths.SelectMany(p => options.Select(o => p + "/" + o)).ToList();
        }

        return paths.Select(p => p.Length == 0 ? "/" : p).Distinct(StringComparer.Ordinal).Take(40);
    }

    /// <summary>The path alone, then with every id-like query parameter set to each of Alice's ids.</summary>
    private static IEnumerable<string> Urls(string path, Actor alice)
    {
        yield return path;
        var range = "from=2023-01-01&to=2025-12-31";
        foreach (var id in alice.Ids.Values.SelectMany(v => v).Distinct())
        {
            yield return $"{path}?{range}&" + string.Join('&', QueryNames.Select(q => $"{q}={(q.StartsWith("user", StringComparison.Ordinal) ? alice.UserId : Number(id))}"));
        }
    }

    private static HttpRequestMessage Request(string method, string url, Actor alice, string? antiforgery)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (method != "GET" && method != "HEAD")
        {
            if (antiforgery is not null)
            {
                request.Headers.Add("X-CSRF-TOKEN", antiforgery);
            }

            var fields = QueryNames.Select(q => new KeyValuePair<string, string>(q, IdsFor(q, alice).First())).ToList();
            if (antiforgery is not null)
            {
                fields.Add(new KeyValuePair<string, string>("__RequestVerificationToken", antiforgery));
            }

            request.Content = new FormUrlEncodedContent(fields);
        }

        return request;
    }

    private static HttpRequestMessage WithCookies(HttpRequestMessage request, string cookies)
    {
        request.Headers.Add("Cookie", cookies);
        return request;
    }

    /// <summary>The answer's text; a server-sent-event stream is read up to its first event only.</summary>
    private static async Task<string> SendAsync(HttpClient client, HttpRequestMessage request)
    {
        using (request)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var headers = string.Join("\n", response.Headers.Concat(response.Content.Headers).Select(h => h.Key + ": " + string.Join(",", h.Value)));
            if (response.Content.Headers.ContentType?.MediaType == "text/event-stream")
            {
                using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));
                return headers + "\n" + await reader.ReadLineAsync(timeout.Token) + "\n" + await reader.ReadLineAsync(timeout.Token);
            }

            return headers + "\n" + await response.Content.ReadAsStringAsync(timeout.Token);
        }
    }

    /// <summary>
    /// Each post form of a page, as a request carrying its hidden fields and named buttons, with every field whose
    /// name ends in "Id" set to each of Alice's ids of that kind in turn.
    /// </summary>
    private static IEnumerable<HttpRequestMessage> FormPosts(string html, string path, Actor alice)
    {
        foreach (Match form in FormElement().Matches(html))
        {
            var id = form.Groups["id"].Value;
            var action = WebUtility.HtmlDecode(form.Groups["action"].Value);
            var fields = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (Match input in Field().Matches(form.Groups["body"].Value))
            {
                fields[WebUtility.HtmlDecode(input.Groups["name"].Value)] = WebUtility.HtmlDecode(input.Groups["value"].Success ? input.Groups["value"].Value : "x");
            }

            // Buttons elsewhere on the page that submit this form (form="id"), like the per-row delete buttons.
            if (id.Length > 0)
            {
                foreach (Match button in FormButton().Matches(html).Where(b => b.Groups["form"].Value == id))
                {
                    fields[WebUtility.HtmlDecode(button.Groups["name"].Value)] = WebUtility.HtmlDecode(button.Groups["value"].Value);
                }
            }

            var idFields = fields.Keys.Where(k => k.EndsWith("Id", StringComparison.OrdinalIgnoreCase)).ToList();
            var variants = idFields.Count == 0
                ? [fields]
                : idFields.SelectMany(f => IdsFor(f.Split('.')[^1], alice).Select(v => new Dictionary<string, string>(fields, StringComparer.Ordinal) { [f] = v })).ToList();
            foreach (var variant in variants)
            {
                yield return new HttpRequestMessage(HttpMethod.Post, action.Length > 0 ? action : path) { Content = new FormUrlEncodedContent(variant) };
            }
        }
    }

    /// <summary>Every row that names the user, in each table with a user_id column (from the catalog), and the account.</summary>
    private async Task<List<string>> RowsOfAsync(string userId)
    {
        var rows = new List<string>();
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand("SELECT table_name FROM information_schema.columns WHERE column_name = 'user_id' AND table_schema = current_schema() ORDER BY table_name", connection))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        foreach (var table in tables.Append("identity_users"))
        {
            await using var select = new NpgsqlCommand($"SELECT row_to_json(t)::text FROM \"{table}\" t WHERE {(table == "identity_users" ? "id" : "user_id")} = @user ORDER BY 1", connection);
            select.Parameters.AddWithValue("user", userId);
            await using var reader = await select.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                rows.Add(table + " " + reader.GetString(0));
            }
        }

        return rows;
    }

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex("""<form(?=[^>]*method="post")(?:[^>]*?\bid="(?<id>[^"]*)")?(?:[^>]*?\baction="(?<action>[^"]*)")?[^>]*>(?<body>.*?)</form>""", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex FormElement();

    [GeneratedRegex("""<(?:input|select|textarea|button)\b(?=[^>]*\bname="(?<name>[^"]*)")(?:(?=[^>]*\bvalue="(?<value>[^"]*)"))?[^>]*>""", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex Field();

    [GeneratedRegex("""<button\b(?=[^>]*\bform="(?<form>[^"]*)")(?=[^>]*\bname="(?<name>[^"]*)")(?=[^>]*\bvalue="(?<value>[^"]*)")[^>]*>""", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex FormButton();
}
