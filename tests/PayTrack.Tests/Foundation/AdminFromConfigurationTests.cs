using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using PayTrack.Tests.Infrastructure;

namespace PayTrack.Tests.Foundation;

public sealed class AdminFromConfigurationTests(AdminFromConfigurationTests.ConfiguredAdminFactory app) : IClassFixture<AdminFromConfigurationTests.ConfiguredAdminFactory>
{
    public sealed class ConfiguredAdminFactory : PayTrackAppFactory
    {
        public ConfiguredAdminFactory()
        {
            WithSetting("PayTrack:Admin:Email", "first-admin@example.edu");
            WithSetting("PayTrack:Admin:Password", "F1rst-admin-pass!");
        }
    }

    [Fact]
    public async Task TheConfiguredAdminExistsAtStartUpAndReachesTheAdminPage()
    {
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var signIn = await client.SubmitAsync("/account/login", new Dictionary<string, string>
        {
            ["Input.Email"] = "first-admin@example.edu",
            ["Input.Password"] = "F1rst-admin-pass!",
        });
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        using var admin = await client.GetAsync("/admin");
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
        Assert.Contains("first-admin@example.edu", await admin.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
