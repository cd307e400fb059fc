using PayTrack.Tests.Infrastructure;

namespace PayTrack.Tests.Foundation;

/// <summary>The suite's PostgreSQL is the one asked for (PAYTRACK_TEST_DATABASE), never a silent substitute.</summary>
public sealed class TestDatabaseTests
{
    [Fact]
    public async Task TheRunUsesTheDatabaseItWasToldToUse()
    {
        var description = await TestCluster.DescriptionAsync();
        var containerId = await TestCluster.ContainerIdAsync();
        if (!string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("PAYTRACK_TEST_CONNECTION")))
        {
            Assert.StartsWith("the server in PAYTRACK_TEST_CONNECTION", description, StringComparison.Ordinal);
            return;
        }

        switch (TestDatabaseChoice.FromEnvironment().Mode)
        {
            case TestDatabaseMode.Docker:
                Assert.StartsWith("a Docker container", description, StringComparison.Ordinal);
                Assert.NotNull(containerId);
                break;
            case TestDatabaseMode.Local:
                Assert.StartsWith("a local cluster", description, StringComparison.Ordinal);
                Assert.Null(containerId);
                break;
            default:
                // Auto: a container when an engine answers with the image; otherwise the fallback says why.
                Assert.True(containerId is not null || description.Contains("set PAYTRACK_TEST_DATABASE=docker", StringComparison.Ordinal), description);
                break;
        }
    }

    [Fact]
    public async Task TheContainerIsLabelledForCleanupAndPublishedOnLoopbackOnly()
    {
        var containerId = await TestCluster.ContainerIdAsync();
        if (containerId is null)
        {
            Assert.NotEqual(TestDatabaseMode.Docker, TestDatabaseChoice.FromEnvironment().Mode);
            return; // a run without a container has nothing to label
        }

        using var engine = DockerEngine.FromEnvironment()!;
        var facts = await engine.InspectAsync(containerId);
        Assert.NotNull(facts);
        Assert.Equal(DockerEngine.CurrentOwner, facts.Labels[DockerEngine.OwnerLabel]);
        Assert.Equal("true", facts.Labels["org.testcontainers"]);
        Assert.NotEmpty(facts.PublishedOn);
        Assert.All(facts.PublishedOn, ip => Assert.Equal("127.0.0.1", ip));
    }

    [Fact]
    public async Task TheServerTakesAsManySessionsAsTheSuiteOpens()
    {
        // PostgreSQL's default of 100 sessions was exceeded by a run on a slow machine ("too many clients").
        await using var connection = new Npgsql.NpgsqlConnection(await TestCluster.AdminConnectionStringAsync());
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("SELECT current_setting('max_connections')::int", connection);
        var limit = (int)(await command.ExecuteScalarAsync())!;
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("PAYTRACK_TEST_CONNECTION")))
        {
            Assert.Equal(TestCluster.MaxConnections, limit);
        }
        else
        {
            Assert.True(limit >= 100, $"the server in PAYTRACK_TEST_CONNECTION takes only {limit} sessions");
        }
    }

    [Theory]
    [InlineData(null, TestDatabaseMode.Auto)]
    [InlineData("", TestDatabaseMode.Auto)]
    [InlineData("auto", TestDatabaseMode.Auto)]
    [InlineData("Docker", TestDatabaseMode.Docker)]
    [InlineData(" local ", TestDatabaseMode.Local)]
    public void TheModeIsReadFromTheEnvironment(string? value, TestDatabaseMode expected) =>
        Assert.Equal(expected, TestDatabaseChoice.Parse(value, null).Mode);

    [Fact]
    public void AnUnknownModeIsRefusedInPlainWords()
    {
        var error = Assert.Throws<InvalidOperationException>(() => TestDatabaseChoice.Parse("podman", null));
        Assert.Equal("PAYTRACK_TEST_DATABASE is \"podman\"; use auto, docker or local.", error.Message);
    }

    [Fact]
    public void TheImageIsTheComposeFilesUnlessConfigured()
    {
        Assert.Equal("postgres:17", TestDatabaseChoice.Parse(null, null).Image);
        Assert.Equal("postgres:17-alpine", TestDatabaseChoice.Parse(null, " postgres:17-alpine ").Image);
    }
}
