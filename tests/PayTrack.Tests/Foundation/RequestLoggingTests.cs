using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PayTrack.Tests.Infrastructure;
using PayTrack.Web.Operations;

namespace PayTrack.Tests.Foundation;

/// <summary>Serilog's request log of a real PayTrack process: one line per request with the user, never a secret.</summary>
public sealed class RequestLoggingTests
{
    [Fact]
    public async Task EachRequestIsOneLineWithItsUserAndNeitherTheQueryStringNorAPassword()
    {
        const string password = "L0gged-never-pass!";
        const string querySecret = "query-secret-4f1c9e";
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["ConnectionStrings__PayTrack"] = await TestCluster.CreateDatabaseAsync(nameof(RequestLoggingTests)),
            ["PayTrack__Jobs__RunJobs"] = "false",
            ["PayTrack__Demo__Enabled"] = "false",
        };
        await using var server = PayTrackProcess.StartServer(environment);
        await server.WaitUntilReadyAsync(TimeSpan.FromMinutes(3)); // a deadline: a loaded machine starts slowly

        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() }) { BaseAddress = server.BaseAddress };
        (await client.GetAsync($"/account/login?token={querySecret}")).Dispose();
        using (var registered = await client.SubmitAsync("/account/register", new Dictionary<string, string>
        {
            ["Input.Email"] = "logged@example.edu",
            ["Input.Password"] = password,
            ["Input.ConfirmPassword"] = password,
        }))
        {
            Assert.Equal(HttpStatusCode.Redirect, registered.StatusCode);
        }

        (await client.GetAsync("/shifts")).Dispose();

        // The line is written after the answer is sent: wait for it, with a deadline.
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!server.Output.Contains("HTTP GET /shifts answered", StringComparison.Ordinal) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        var output = server.Output;
        var requests = string.Join('\n', output.Split('\n').Where(line => line.Contains("RequestLoggingMiddleware", StringComparison.Ordinal)));
        Assert.True(Regex.IsMatch(requests, @"\[\d\d:\d\d:\d\d INF\] Serilog\.AspNetCore\.RequestLoggingMiddleware: HTTP GET /account/login answered 200 in [\d.]+ ms for a visitor"), requests);
        Assert.True(Regex.IsMatch(requests, @"HTTP POST /account/register answered 302 in [\d.]+ ms for "), requests);
        Assert.True(Regex.IsMatch(requests, @"HTTP GET /shifts answered 200 in [\d.]+ ms for user [0-9a-f-]{36}"), requests);
        Assert.DoesNotContain(querySecret, output, StringComparison.Ordinal);
        Assert.DoesNotContain(password, output, StringComparison.Ordinal);
        Assert.DoesNotContain("Password=", output, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void TheLoggerFactoryGivesOneLoggerPerCategory()
    {
        var builder = WebApplication.CreateBuilder();
        builder.AddLogging(quiet: true);
        using var host = builder.Build();
        var factory = host.Services.GetRequiredService<ILoggerFactory>();

        Assert.Same(factory.CreateLogger("Microsoft.AspNetCore.Components.RenderTree.Renderer"), factory.CreateLogger("Microsoft.AspNetCore.Components.RenderTree.Renderer"));
        Assert.NotSame(factory.CreateLogger("One"), factory.CreateLogger("Another"));
    }

    [Theory]
    [InlineData("/calendar/Qm9keS10b2tlbi0xMjM0NTY3ODkw.ics", "/calendar/***.ics")]
    [InlineData("/feeds/8f14e45fceea167a5a36dedd4bea2543/shifts", "/feeds/***/shifts")]
    [InlineData("/shifts/2024-12-01", "/shifts/2024-12-01")]
    [InlineData("/account/register", "/account/register")]
    [InlineData("", "/")]
    public void TokenLikePathSegmentsAreMasked(string path, string logged) =>
        Assert.Equal(logged, LoggingExtensions.MaskedPath(path));
}
