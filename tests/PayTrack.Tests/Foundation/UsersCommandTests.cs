using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using PayTrack.Tests.Infrastructure;

namespace PayTrack.Tests.Foundation;

public sealed class UsersCommandTests(PayTrackAppFactory app) : IClassFixture<PayTrackAppFactory>
{
    private Dictionary<string, string?> Environment => new(StringComparer.Ordinal) { ["ConnectionStrings__PayTrack"] = app.ConnectionString };

    [Fact]
    public async Task UsersAddCreatesAnAccountThatCanSignIn()
    {
        var (exitCode, output) = await PayTrackProcess.RunAsync(["users", "add", "--email", "cli@example.edu", "--password", "Cl1-password!", "--admin"], Environment);
        Assert.True(exitCode == 0, output);
        Assert.Contains("Created admin cli@example.edu.", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Cl1-password!", output, StringComparison.Ordinal);

        var (listCode, list) = await PayTrackProcess.RunAsync(["users", "list"], Environment);
        Assert.Equal(0, listCode);
        Assert.Matches(@"cli@example\.edu\s+admin", list);

        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var signIn = await client.SubmitAsync("/account/login", new Dictionary<string, string> { ["Input.Email"] = "cli@example.edu", ["Input.Password"] = "Cl1-password!" });
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        using var admin = await client.GetAsync("/admin");
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
    }

    [Fact]
    public async Task UsersAddRefusesAWeakPasswordWithTheReason()
    {
        var (exitCode, output) = await PayTrackProcess.RunAsync(["users", "add", "--email", "weakcli@example.edu", "--password", "abc"], Environment);
        Assert.Equal(1, exitCode);
        Assert.Contains("Passwords must be at least 8 characters", output, StringComparison.Ordinal);
    }
}
