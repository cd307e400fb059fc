using PayTrack.Tests.Infrastructure;

namespace PayTrack.Tests.Foundation;

/// <summary>
/// A setting PayTrack cannot use stops the real process at start with one sentence that names the setting, its
/// environment variable and what it takes: exit code 2, no stack trace, nothing logged as a crash.
/// </summary>
public sealed class SettingsProblemsTests
{
    [Theory]
    // Read before the host is built (the private PostgreSQL's settings).
    [InlineData("PayTrack__LocalPostgres__MaxConnections", "many",
        "PayTrack did not start: the setting PayTrack:LocalPostgres:MaxConnections (environment variable PayTrack__LocalPostgres__MaxConnections) is \"many\", which is not a whole number.")]
    // Checked at start (ValidateOnStart): a value of the wrong kind, one out of range, an unknown choice, a rule of PayTrack's own.
    [InlineData("PayTrack__Live__MaxConnectionsPerUser", "-5",
        "PayTrack did not start: PayTrack:Live:MaxConnectionsPerUser (environment variable PayTrack__Live__MaxConnectionsPerUser) must be between 1 and 10000.")]
    [InlineData("PayTrack__Pay__OvertimeRule", "sometimes",
        "PayTrack did not start: the setting PayTrack:Pay:OvertimeRule (environment variable PayTrack__Pay__OvertimeRule) is \"sometimes\", which is not one of Federal, California.")]
    [InlineData("PayTrack__Kronos__AttemptTimeout", "soon",
        "PayTrack did not start: the setting PayTrack:Kronos:AttemptTimeout (environment variable PayTrack__Kronos__AttemptTimeout) is \"soon\", which is not a length of time such as 00:05:00.")]
    [InlineData("PayTrack__Jobs__TimeZone", "Mars/Base",
        "PayTrack did not start: PayTrack:Jobs:TimeZone must be an IANA time zone such as America/New_York.")]
    [InlineData("PayTrack__Database__WaitAtStart", "-00:00:05",
        "PayTrack did not start: PayTrack:Database:WaitAtStart must be a length of time of zero or more, such as 00:01:00.")]
    public async Task ASettingPayTrackCannotUseStopsItWithOneSentence(string variable, string value, string expected)
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["ConnectionStrings__PayTrack"] = await TestCluster.CreateDatabaseAsync(nameof(SettingsProblemsTests)),
            [variable] = value,
        };

        var (exitCode, output) = await PayTrackProcess.RunAsync([], environment);

        Assert.Equal(2, exitCode);
        Assert.Equal(expected, output.Trim());
    }

    [Fact]
    public async Task ACommandStopsTheSameWay()
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["ConnectionStrings__PayTrack"] = await TestCluster.CreateDatabaseAsync(nameof(SettingsProblemsTests)),
            ["PayTrack__Jobs__WorkerCount"] = "two",
        };

        var (exitCode, output) = await PayTrackProcess.RunAsync(["users", "list"], environment);

        Assert.Equal(2, exitCode);
        Assert.Equal(
            "PayTrack did not start: the setting PayTrack:Jobs:WorkerCount (environment variable PayTrack__Jobs__WorkerCount) is \"two\", which is not a whole number.",
            output.Trim());
    }

    [Fact]
    public async Task AnAddressAnotherProgramHoldsIsNamedWithoutAStackTrace()
    {
        using var holder = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        holder.Start();
        var address = $"http://127.0.0.1:{((System.Net.IPEndPoint)holder.LocalEndpoint).Port}";
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["ConnectionStrings__PayTrack"] = await TestCluster.CreateDatabaseAsync(nameof(SettingsProblemsTests)),
        };

        var (exitCode, output) = await PayTrackProcess.RunAsync(["--urls", address], environment);

        Assert.Equal(2, exitCode);
        Assert.Equal(
            $"PayTrack did not start: {address} is already in use (another PayTrack, or another program, listens there). Stop it, or give another address with --urls or ASPNETCORE_URLS.",
            output.Trim().Split('\n')[^1].Trim());
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", output, StringComparison.Ordinal);
    }
}
