using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PayTrack.Tests.Infrastructure;
using PayTrack.Web.Kronos;

namespace PayTrack.Tests.Kronos;

/// <summary>The client as the PayTrack host registers it (Program.cs: AddKronos), reading the simulator.</summary>
public sealed class KronosRegistrationTests(PayTrackAppFactory app, SimulatorFixture site) : IClassFixture<PayTrackAppFactory>, IClassFixture<SimulatorFixture>
{
    [Fact]
    public async Task PayTracksOwnKronosClientReadsTheSite()
    {
        site.Reset();
        var options = app.Services.GetRequiredService<IOptions<KronosOptions>>().Value;
        Assert.Equal(92, options.ChunkDays);
        var client = app.Services.GetRequiredService<KronosClient>();
        using var session = client.OpenSession(site.Connection("ana.student"));

        var jobs = await client.GetJobsAsync(session, CancellationToken.None).WaitAsync(TestKronos.Bound);
        var result = await client.GetTimecardAsync(session, KronosJobKey.From(jobs.Value![0]), site.Today.AddDays(-100), site.Today, CancellationToken.None).WaitAsync(TestKronos.Bound);

        Assert.True(result.Succeeded, result.ToString());
        var truth = await site.TruthAsync("ana.student", site.Today.AddDays(-100), site.Today);
        Assert.Equal(TestKronos.Json(truth, result.Value), TestKronos.Json(result.Value.Periods));
        Assert.True(session.IsSignedIn);
    }
}
