using PayTrack.Web.Sync;

namespace PayTrack.Tests.Sync;

public sealed class SyncTextTests
{
    [Fact]
    public void AFullHistorySyncsProgressIsInPlainWords()
    {
        var running = new SyncEvent(1, "catchup", null, "running", 3, 24, 0, 1234, 0, 0, 0, "2024-01-01 – 2024-03-31", null) { UserId = "u" };
        var done = running with { Status = "succeeded", Done = 24, New = 1200, Changed = 4, Unchanged = 30 };

        Assert.Equal("3 of 24 date ranges · 1,234 punches · reading 2024-01-01 – 2024-03-31", running.Label);
        Assert.Equal("Done: 24 of 24 date ranges · 1,234 punches (1,200 new, 4 changed, 30 unchanged)", done.Label);
    }

    [Fact]
    public void ADailyUpdatesProgressCountsUsers()
    {
        var sweep = new SyncEvent(2, "update-punches", null, "running", 40, 600, 2, 900, 0, 0, 0, null, null) { Sweep = true };

        Assert.Equal("40 of 600 users, 2 failed · 900 punches", sweep.Label);
    }
}
