using System.ComponentModel.DataAnnotations;

namespace PayTrack.Web.Live;

/// <summary>Bound from <c>PayTrack:Live</c>: how many live pages (Blazor circuits) one node keeps open.</summary>
public sealed class LiveOptions
{
    public const string Section = "PayTrack:Live";

    /// <summary>Open live connections of one account (one per open page), on this node. A visitor counts by address.</summary>
    [Range(1, 10_000)]
    public int MaxConnectionsPerUser { get; set; } = 20;

    /// <summary>Open live connections of every user together, on this node (each holds about a circuit's memory).</summary>
    [Range(1, 1_000_000)]
    public int MaxConnectionsPerProcess { get; set; } = 5_000;
}
