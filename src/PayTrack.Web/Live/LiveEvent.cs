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

    /// <summary>A user's data changed (<paramref name="source"/>: what changed it, a word such as "manual" or "import").</summary>
    public static LiveEvent Changed(string userId, string source) => new(DataChanged, userId, $$"""{"source":"{{source}}"}""");
}

[JsonSerializable(typeof(LiveEvent))]
internal sealed partial class LiveJsonContext : JsonSerializerContext;
