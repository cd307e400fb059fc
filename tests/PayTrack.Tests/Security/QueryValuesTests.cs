using System.Net;
using PayTrack.Tests.Dashboard;
using PayTrack.Tests.Infrastructure;

namespace PayTrack.Tests.Security;

/// <summary>Issue 10, point 8: an unparsable query value on the API or an export gets a 400 with a JSON problem, never a 500.</summary>
public sealed class QueryValuesTests(DashboardAppFactory app) : IClassFixture<DashboardAppFactory>
{
    private static readonly string[] Endpoints =
    [
        "/api/shifts", "/api/summary", "/api/pay/student", "/export/shifts.csv", "/settings/backup/export", "/settings/backup/export.csv",
    ];

    private static readonly string[] BadQueries =
    [
        "from=x", "to=%00", "from=2024-01-01%00", "from=0001-01-01", "to=9999-12-31", "from=2024-02-30", "from=99999999999999999999",
        "from=%E2%80%AE2024-01-01", "from=2024-01-01&from=2024-02-01", "from=2024-12-31&to=2024-01-01", "to=" + new string('9', 5000),
    ];

    [Fact]
    public async Task AnUnparsableValueGetsA400WithAJsonProblem()
    {
        var (_, client) = await app.SignedInAsync("query-values@example.edu");
        var wrong = new List<string>();
        foreach (var path in Endpoints.SelectMany(e => BadQueries.Select(q => e + "?" + q)))
        {
            using var response = await client.GetAsync(path);
            var body = await response.Content.ReadAsStringAsync();
            if (response.StatusCode != HttpStatusCode.BadRequest
                || response.Content.Headers.ContentType?.MediaType != "application/problem+json"
                || !body.Contains("\"detail\":\"", StringComparison.Ordinal)
                || body.Length >= 500)
            {
                wrong.Add($"{path[..Math.Min(path.Length, 80)]}: {(int)response.StatusCode} {response.Content.Headers.ContentType?.MediaType} {body[..Math.Min(body.Length, 200)]}");
            }
        }

        Assert.Empty(wrong);
    }
}
