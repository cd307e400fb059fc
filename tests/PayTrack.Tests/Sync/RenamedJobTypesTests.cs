using PayTrack.Web.Data;
using PayTrack.Web.Sync;

namespace PayTrack.Tests.Sync;

public sealed class RenamedJobTypesTests
{
    [Fact]
    public void AJobQueuedUnderTheOldJobsNamesStillFindsItsTypes()
    {
        Assert.Equal(typeof(UpdatePunchesJobs), RenamedJobTypes.Resolve("PayTrack.Web.Jobs.UpdatePunchesJobs, PayTrack.Web"));
        Assert.Equal(typeof(CatchupJob), RenamedJobTypes.Resolve("PayTrack.Web.Jobs.CatchupJob, PayTrack.Web"));
        Assert.Equal(typeof(SyncTrigger), RenamedJobTypes.Resolve("PayTrack.Web.Data.JobTrigger, PayTrack.Web"));
        Assert.Equal(typeof(CatchupJob), RenamedJobTypes.Resolve("PayTrack.Web.Sync.CatchupJob, PayTrack.Web"));
        Assert.Equal(typeof(string), RenamedJobTypes.Resolve("System.String, mscorlib"));
    }
}
