using System.Text.Json.Serialization;

namespace PayTrack.Web.Live;

/// <summary>
/// Something a user's open pages should react to: new data landed, a job made progress or finished.
/// <see cref="UserId"/> null means the event is for administrators only (the jobs page).
/// </summary>
public sealed record LiveEvent(
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("userId")] string? UserId,
    [property: JsonPropertyName("data")] string Data)
{
    public const string DataChanged = "data-changed";
    public const string JobProgress = "job-progress";
    public const string JobFinished = "job-finished";
}

[JsonSerializable(typeof(LiveEvent))]
internal sealed partial class LiveJsonContext : JsonSerializerContext;
