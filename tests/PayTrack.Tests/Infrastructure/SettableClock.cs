namespace PayTrack.Tests.Infrastructure;

/// <summary>The suite's one test clock: it stays where the test puts it, so pages compute "today" from it.</summary>
public sealed class SettableClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
