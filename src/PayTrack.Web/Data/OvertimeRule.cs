using System.Text.Json.Serialization;

namespace PayTrack.Web.Data;

/// <summary>Which law's overtime a user's pay follows; chosen per user.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<OvertimeRule>))]
public enum OvertimeRule
{
    /// <summary>FLSA, 29 U.S.C. 207(a): hours past 40 in a workweek at 1.5x the regular rate.</summary>
    [JsonStringEnumMemberName("federal")]
    Federal,

    /// <summary>California Labor Code 510: daily, weekly and seventh-day overtime, and double time.</summary>
    [JsonStringEnumMemberName("california")]
    California,
}
