using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace PayTrack.Tests.Kronos;

/// <summary>
/// The simulator alone, read as a stranger would read it: raw HTTP and JSON documents, no PayTrack types, so its
/// answers are checked against the contract's shapes and its demo data against the contract's section 4.
/// </summary>
public sealed class SimulatorContractTests : IClassFixture<SimulatorFixture>, IDisposable
{
    private static readonly Regex Instant = new(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture);
    private static readonly HashSet<string> PunchFields = ["id", "in_datetime", "out_datetime", "endreason", "in_rounded", "out_rounded", "timezone", "edited", "updatedOn"];

    private readonly SimulatorFixture _site;
    private readonly HttpClient _http;

    public SimulatorContractTests(SimulatorFixture site)
    {
        _site = site;
        _site.Reset();
        _http = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = new Uri(site.BaseUrl + "/") };
    }

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task LoginSetsAnHttpOnlySessionCookieAndAWrongPasswordGets401()
    {
        using var ok = await PostLoginAsync("ana.student", "demo");
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        var setCookie = Assert.Single(ok.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith("JSESSIONID=", setCookie, StringComparison.Ordinal);
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);

        using var wrong = await PostLoginAsync("ana.student", "not-demo");
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        using var body = JsonDocument.Parse(await wrong.Content.ReadAsStringAsync());
        Assert.Equal("invalid_credentials", body.RootElement.GetProperty("error").GetString());

        using var unknown = await PostLoginAsync("nobody.here", "demo");
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
    }

    [Fact]
    public async Task EmployeeListHasTheContractFieldsAndAnaHoldsTwoJobsWithDifferentWages()
    {
        var cookie = await SignInAsync("ana.student");
        using var document = await GetJsonAsync("rest/employeebyusername/ana.student", cookie);
        var jobs = document.RootElement.GetProperty("list").EnumerateArray().ToList();
        Assert.Equal(2, jobs.Count);
        foreach (var job in jobs)
        {
            Assert.Equal("Ana", job.GetProperty("firstname").GetString());
            Assert.Equal(JsonValueKind.Number, job.GetProperty("employeeid").ValueKind);
            Assert.Equal(JsonValueKind.Number, job.GetProperty("badgenum").ValueKind);
            Assert.Equal(JsonValueKind.Number, job.GetProperty("payruleid").ValueKind);
            Assert.False(string.IsNullOrEmpty(job.GetProperty("department_desc").GetString()));
            Assert.Matches(Instant, job.GetProperty("hiredate").GetString()!);
            Assert.EndsWith("T00:00:00.000Z", job.GetProperty("hiredate").GetString(), StringComparison.Ordinal);
        }

        Assert.NotEqual(jobs[0].GetProperty("basewagerate").GetDecimal(), jobs[1].GetProperty("basewagerate").GetDecimal());
        Assert.NotEqual(jobs[0].GetProperty("payruleid").GetInt64(), jobs[1].GetProperty("payruleid").GetInt64());
    }

    [Fact]
    public async Task AnAccountWithoutAJobGetsAnEmptyList()
    {
        var cookie = await SignInAsync("dan.nojob");
        using var document = await GetJsonAsync("rest/employeebyusername/dan.nojob", cookie);
        Assert.Empty(document.RootElement.GetProperty("list").EnumerateArray());
    }

    [Fact]
    public async Task TimecardsHaveTheContractShapeThroughoutAnasHistory()
    {
        var punches = await AnaHistoryAsync();
        Assert.True(punches.Count > 500, $"only {punches.Count} punches in four years");
        foreach (var punch in punches)
        {
            var zone = TimeZoneInfo.FindSystemTimeZoneById(punch.Zone!);
            Assert.Equal(punch.Day, DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(punch.In, zone).DateTime));
            Assert.NotNull(punch.Id);
            Assert.NotNull(punch.UpdatedOn);
            if (punch.EndReason == "normal")
            {
                Assert.NotNull(punch.Out);
                Assert.True(punch.Out > punch.In);
            }
        }
    }

    [Fact]
    public async Task AnasHistoryHoldsEveryCaseOfContractSection4()
    {
        var punches = await AnaHistoryAsync();
        var local = punches.Select(p => (Punch: p, Zone: TimeZoneInfo.FindSystemTimeZoneById(p.Zone!))).ToList();

        // A missed out-punch later fixed by a supervisor: same id, edited, out time set, updated days after the shift.
        Assert.Contains(punches, p => p.Edited == true && p.Out is not null && p.UpdatedOn - p.In > TimeSpan.FromDays(2));

        // A shift across midnight, attributed to the day it started.
        Assert.Contains(local, x => x.Punch.Out is { } o && TimeZoneInfo.ConvertTime(o, x.Zone).Date > TimeZoneInfo.ConvertTime(x.Punch.In, x.Zone).Date);

        // 00:30 to 03:30 on the nights clocks change: two hours of real time in spring, four in the fall.
        var dstNights = local.Where(x => x.Punch.Out is not null &&
            TimeZoneInfo.ConvertTime(x.Punch.InRounded!.Value, x.Zone).TimeOfDay == new TimeSpan(0, 30, 0) &&
            TimeZoneInfo.ConvertTime(x.Punch.OutRounded!.Value, x.Zone).TimeOfDay == new TimeSpan(3, 30, 0)).ToList();
        Assert.Contains(dstNights, x => x.Punch.OutRounded - x.Punch.InRounded == TimeSpan.FromHours(2));
        Assert.Contains(dstNights, x => x.Punch.OutRounded - x.Punch.InRounded == TimeSpan.FromHours(4));

        // Two shifts of one job on one day, and two jobs worked on the same day.
        Assert.Contains(punches.GroupBy(p => (p.PayRuleId, p.Day)), g => g.Count() >= 2);
        Assert.Contains(punches.GroupBy(p => p.Day), g => g.Select(p => p.PayRuleId).Distinct().Count() == 2);

        // Raw times a few minutes off the rounded (paid) times, never more than the rounding allows.
        Assert.Contains(punches, p => p.In != p.InRounded);
        Assert.All(punches, p => Assert.True((p.In - p.InRounded!.Value).Duration() <= TimeSpan.FromMinutes(8)));

        // Weeks with no punches at all (term breaks) after the hire date.
        var days = punches.Select(p => p.Day).Distinct().Order().ToList();
        Assert.Contains(days.Zip(days.Skip(1)), pair => pair.Second.DayNumber - pair.First.DayNumber > 14);
    }

    [Fact]
    public async Task OverlappingRangesReturnTheSamePunchTwice()
    {
        var cookie = await SignInAsync("ana.student");
        var first = await TimecardAsync(cookie, 10234, 7, new DateOnly(2026, 10, 1), new DateOnly(2026, 10, 31));
        var second = await TimecardAsync(cookie, 10234, 7, new DateOnly(2026, 10, 20), new DateOnly(2026, 11, 10));
        var shared = first.Select(p => p.Id).Intersect(second.Select(p => p.Id)).ToList();
        Assert.NotEmpty(shared);
        foreach (var id in shared)
        {
            Assert.Equal(first.Single(p => p.Id == id), second.Single(p => p.Id == id));
        }
    }

    [Fact]
    public async Task AMissedOutPunchIsFixedDaysLaterUnderTheSameId()
    {
        var cookie = await SignInAsync("ana.student");
        var fixedPunch = (await TimecardAsync(cookie, 10234, 7, _site.Today.AddDays(-120), _site.Today)).Last(p => p.Edited == true);

        // Back to the evening of that shift: the out-punch is missing and nothing is edited yet.
        _site.Clock.Set(fixedPunch.In.AddHours(8));
        var before = (await TimecardAsync(cookie, 10234, 7, fixedPunch.Day, fixedPunch.Day)).Single(p => p.Id == fixedPunch.Id);
        Assert.Equal("missedOut", before.EndReason);
        Assert.Null(before.Out);
        Assert.Null(before.OutRounded);
        Assert.False(before.Edited);

        // Days later the supervisor's fix arrives: same id, an out time, edited, a later updatedOn.
        _site.Clock.Set(SimulatorFixture.DefaultNow);
        cookie = await SignInAsync("ana.student");
        var after = (await TimecardAsync(cookie, 10234, 7, fixedPunch.Day, fixedPunch.Day)).Single(p => p.Id == fixedPunch.Id);
        Assert.Equal("normal", after.EndReason);
        Assert.NotNull(after.Out);
        Assert.True(after.Edited);
        Assert.True(after.UpdatedOn > before.UpdatedOn);
        Assert.True(after.UpdatedOn - after.In >= TimeSpan.FromDays(2));
        Assert.Equal(before.In, after.In);
    }

    [Fact]
    public async Task ASessionEndsAfterItsIdleTimeAndAnUnknownCookieIsRefused()
    {
        var cookie = await SignInAsync("ana.student");
        using (var live = await GetAsync("rest/employeebyusername/ana.student", cookie))
        {
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        }

        _site.Clock.Advance(TimeSpan.FromMinutes(29));
        using (var stillLive = await GetAsync("rest/employeebyusername/ana.student", cookie))
        {
            Assert.Equal(HttpStatusCode.OK, stillLive.StatusCode);
        }

        _site.Clock.Advance(TimeSpan.FromMinutes(31));
        using (var expired = await GetAsync("rest/employeebyusername/ana.student", cookie))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
        }

        using var forged = await GetAsync("rest/employeebyusername/ana.student", "made-up");
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        using var none = await GetAsync("rest/employeebyusername/ana.student", cookie: null);
        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
    }

    [Fact]
    public async Task RangesLongerThan366DaysAreRefusedWith413()
    {
        var cookie = await SignInAsync("ana.student");
        using var longest = await GetAsync("rest/timecard/10234/7/2025-01-01/2026-01-01", cookie);
        Assert.Equal(HttpStatusCode.OK, longest.StatusCode);
        using var tooLong = await GetAsync("rest/timecard/10234/7/2025-01-01/2026-01-02", cookie);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLong.StatusCode);
    }

    [Fact]
    public async Task OneAccountCannotReadAnothersJobsOrTimecard()
    {
        var cookie = await SignInAsync("ben.nightowl");
        using var jobs = await GetAsync("rest/employeebyusername/ana.student", cookie);
        Assert.Equal(HttpStatusCode.Forbidden, jobs.StatusCode);
        using var timecard = await GetAsync("rest/timecard/10234/7/2026-10-01/2026-10-31", cookie);
        Assert.Equal(HttpStatusCode.Forbidden, timecard.StatusCode);
        Assert.Equal(2, (await _site.StatsOverHttpAsync()).CrossAccountDenied);
    }

    [Fact]
    public async Task AnOlderSiteVersionOmitsTheOptionalFields()
    {
        var cookie = await SignInAsync("ben.nightowl");
        using var document = await GetJsonAsync($"rest/timecard/10311/21/{_site.Today.AddDays(-90):yyyy-MM-dd}/{_site.Today:yyyy-MM-dd}", cookie);
        var days = document.RootElement.EnumerateArray().SelectMany(p => p.GetProperty("days").EnumerateArray()).ToList();
        Assert.NotEmpty(days);
        Assert.All(days, day => Assert.False(day.TryGetProperty("totalHours", out _)));
        var punches = days.SelectMany(d => d.GetProperty("punches").EnumerateArray()).ToList();
        Assert.All(punches, punch =>
        {
            Assert.False(punch.TryGetProperty("id", out _));
            Assert.False(punch.TryGetProperty("timezone", out _));
            Assert.True(punch.TryGetProperty("in_datetime", out _));
            Assert.True(punch.TryGetProperty("endreason", out _));
        });
    }

    [Fact]
    public async Task NumberedLoadAccountsExistUpToTheConfiguredCount()
    {
        using (var first = await PostLoginAsync("user00000", "user00000"))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        using (var last = await PostLoginAsync("user00999", "user00999"))
        {
            Assert.Equal(HttpStatusCode.OK, last.StatusCode);
        }

        using var beyond = await PostLoginAsync("user01000", "user01000");
        Assert.Equal(HttpStatusCode.Unauthorized, beyond.StatusCode);
    }

    [Fact]
    public async Task GroundTruthIsTheBackupShapeAndAgreesWithTheApi()
    {
        var from = _site.Today.AddDays(-60);
        using var truth = await _site.TruthDocumentAsync("ana.student", from, _site.Today);
        var root = truth.RootElement;
        Assert.Equal("paytrack-backup", root.GetProperty("format").GetString());
        Assert.Equal(1, root.GetProperty("version").GetInt32());
        Assert.Equal(2, root.GetProperty("employee").GetProperty("list").GetArrayLength());
        var cookie = await SignInAsync("ana.student");
        foreach (var timecard in root.GetProperty("timecards").EnumerateArray())
        {
            var employeeId = timecard.GetProperty("employeeid").GetInt64();
            var payRuleId = timecard.GetProperty("payruleid").GetInt64();
            using var api = await GetJsonAsync($"rest/timecard/{employeeId}/{payRuleId}/{from:yyyy-MM-dd}/{_site.Today:yyyy-MM-dd}", cookie);
            Assert.Equal(api.RootElement.GetRawText(), timecard.GetProperty("periods").GetRawText());
        }
    }

    [Fact]
    public async Task TheSameSeedGivesTheSamePunchesAndAnotherSeedOthers()
    {
        var twin = new SeededSimulator("20240901");
        var other = new SeededSimulator("7");
        try
        {
            await twin.InitializeAsync();
            await other.InitializeAsync();
            await AssertSeedsAsync(twin, other);
        }
        finally
        {
            await twin.DisposeAsync();
            await other.DisposeAsync();
        }
    }

    private async Task AssertSeedsAsync(SimulatorFixture twin, SimulatorFixture other)
    {
        foreach (var account in new[] { "ana.student", "user00042" })
        {
            using var mine = await _site.TruthDocumentAsync(account);
            using var same = await twin.TruthDocumentAsync(account);
            Assert.Equal(mine.RootElement.GetRawText(), same.RootElement.GetRawText());
        }

        using var load = await _site.TruthDocumentAsync("user00042");
        using var reseeded = await other.TruthDocumentAsync("user00042");
        Assert.NotEqual(load.RootElement.GetRawText(), reseeded.RootElement.GetRawText());
    }

    private async Task<List<TestPunch>> AnaHistoryAsync()
    {
        var cookie = await SignInAsync("ana.student");
        var punches = new List<TestPunch>();
        foreach (var payRule in new long[] { 7, 12 })
        {
            for (var from = _site.Today.AddYears(-5); from <= _site.Today; from = from.AddDays(366))
            {
                var to = from.AddDays(365) < _site.Today ? from.AddDays(365) : _site.Today;
                punches.AddRange(await TimecardAsync(cookie, 10234, payRule, from, to));
            }
        }

        return punches;
    }

    /// <summary>Reads a timecard answer, checking every element against the contract's shape on the way.</summary>
    private async Task<List<TestPunch>> TimecardAsync(string cookie, long employeeId, long payRuleId, DateOnly from, DateOnly to)
    {
        using var document = await GetJsonAsync($"rest/timecard/{employeeId}/{payRuleId}/{from:yyyy-MM-dd}/{to:yyyy-MM-dd}", cookie);
        Assert.Equal(JsonValueKind.Array, document.RootElement.ValueKind);
        var punches = new List<TestPunch>();
        foreach (var period in document.RootElement.EnumerateArray())
        {
            Assert.Equal(["days", "periodEnd", "periodStart"], period.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
            var periodStart = DateOnly.ParseExact(period.GetProperty("periodStart").GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture);
            var periodEnd = DateOnly.ParseExact(period.GetProperty("periodEnd").GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture);
            Assert.Equal(13, periodEnd.DayNumber - periodStart.DayNumber);
            foreach (var day in period.GetProperty("days").EnumerateArray())
            {
                var dayText = day.GetProperty("day").GetString()!;
                Assert.Matches(Instant, dayText);
                var date = DateOnly.FromDateTime(DateTimeOffset.Parse(dayText, CultureInfo.InvariantCulture).UtcDateTime);
                Assert.InRange(date, from, to);
                Assert.InRange(date, periodStart, periodEnd);
                var dayPunches = day.GetProperty("punches").EnumerateArray().Select(p => ReadPunch(p, employeeId, payRuleId, date)).ToList();
                Assert.NotEmpty(dayPunches);
                if (day.TryGetProperty("totalHours", out var total))
                {
                    Assert.Equal((decimal)dayPunches.Sum(p => (p.OutRounded!.Value - p.InRounded!.Value).TotalHours), total.GetDecimal(), 2);
                }

                punches.AddRange(dayPunches);
            }
        }

        return punches;
    }

    private static TestPunch ReadPunch(JsonElement punch, long employeeId, long payRuleId, DateOnly day)
    {
        Assert.All(punch.EnumerateObject(), field => Assert.Contains(field.Name, PunchFields));
        foreach (var name in new[] { "in_datetime", "out_datetime", "in_rounded", "out_rounded", "updatedOn" })
        {
            if (punch.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null)
            {
                Assert.Matches(Instant, value.GetString()!);
            }
        }

        return new TestPunch(
            punch.TryGetProperty("id", out var id) ? id.GetString() : null,
            employeeId,
            payRuleId,
            day,
            At(punch, "in_datetime")!.Value,
            At(punch, "out_datetime"),
            punch.GetProperty("endreason").GetString()!,
            At(punch, "in_rounded"),
            At(punch, "out_rounded"),
            punch.TryGetProperty("timezone", out var zone) ? zone.GetString() : null,
            punch.TryGetProperty("edited", out var edited) ? edited.GetBoolean() : null,
            At(punch, "updatedOn"));

        static DateTimeOffset? At(JsonElement punch, string name) =>
            punch.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
                ? DateTimeOffset.Parse(value.GetString()!, CultureInfo.InvariantCulture)
                : null;
    }

    private async Task<string> SignInAsync(string username)
    {
        using var response = await PostLoginAsync(username, "demo");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var header = response.Headers.GetValues("Set-Cookie").Single();
        return header[(header.IndexOf('=') + 1)..header.IndexOf(';')];
    }

    private Task<HttpResponseMessage> PostLoginAsync(string username, string password) =>
        _http.PostAsync("login", new FormUrlEncodedContent([new("username", username), new("password", password)]));

    private async Task<HttpResponseMessage> GetAsync(string path, string? cookie)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", "JSESSIONID=" + cookie);
        }

        return await _http.SendAsync(request);
    }

    private async Task<JsonDocument> GetJsonAsync(string path, string cookie)
    {
        using var response = await GetAsync(path, cookie);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(Encoding.UTF8.WebName, response.Content.Headers.ContentType?.CharSet);
        return JsonDocument.Parse(await response.Content.ReadAsStreamAsync());
    }

    private sealed record TestPunch(
        string? Id, long EmployeeId, long PayRuleId, DateOnly Day, DateTimeOffset In, DateTimeOffset? Out, string EndReason,
        DateTimeOffset? InRounded, DateTimeOffset? OutRounded, string? Zone, bool? Edited, DateTimeOffset? UpdatedOn);

    private sealed class SeededSimulator(string seed) : SimulatorFixture
    {
        protected override IEnumerable<KeyValuePair<string, string?>> Settings() => [new("Simulator:Seed", seed)];
    }
}
