using System.ComponentModel.DataAnnotations;

namespace PayTrack.KronosSimulator.Notion;

/// <summary>Settings of the simulated Notion API (section "Simulator:Notion"; environment variables such as Simulator__Notion__RequestsPerSecond).</summary>
public sealed class NotionSimOptions
{
    public const string Section = "Simulator:Notion";

    /// <summary>The only Notion-Version the simulator accepts; another answers 400 as the real API does for an unknown version.</summary>
    [Required]
    public string Version { get; set; } = "2025-09-03";

    /// <summary>The average rate allowed per integration token, as on the real API (3 a second).</summary>
    [Range(0.1, 100_000)]
    public double RequestsPerSecond { get; set; } = 3;

    /// <summary>How many requests above the average a token may send at once before it is answered 429.</summary>
    [Range(1, 100_000)]
    public int Burst { get; set; } = 3;

    /// <summary>
    /// An integration that exists from the start, for the demo: its token and the page shared with it
    /// (connect PayTrack with this token and page id).
    /// </summary>
    public string DemoToken { get; set; } = "ntn_paytrack_demo_integration_token";

    public string DemoPageId { get; set; } = "1f0c8a7e-2b3d-4e5f-8a9b-0c1d2e3f4a5b";
}
