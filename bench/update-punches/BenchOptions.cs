using System.Globalization;

namespace PayTrack.Bench.UpdatePunches;

internal sealed record BenchOptions(string WebDll, string SimulatorDll, string Work, string Results, int Users, int LatencyMs, int Parallelism, bool Profile)
{
    public static BenchOptions Parse(string[] args)
    {
        string Value(string name, string? fallback = null)
        {
            var index = Array.IndexOf(args, name);
            return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback ?? throw new ArgumentException($"{name} is required.", nameof(args));
        }

        return new BenchOptions(
            Path.GetFullPath(Value("--web-dll")),
            Path.GetFullPath(Value("--simulator-dll")),
            Path.GetFullPath(Value("--work")),
            Path.GetFullPath(Value("--results")),
            int.Parse(Value("--users", "10000"), CultureInfo.InvariantCulture),
            int.Parse(Value("--latency-ms", "50"), CultureInfo.InvariantCulture),
            int.Parse(Value("--parallelism", "6"), CultureInfo.InvariantCulture),
            args.Contains("--profile", StringComparer.Ordinal));
    }
}

internal sealed record ScenarioResult(
    int Nodes,
    int Users,
    int Succeeded,
    int Failed,
    long Requests,
    double WallSeconds,
    double IdealSeconds,
    IReadOnlyDictionary<string, int> UsersByNode,
    IReadOnlyList<double> NodeCpuSeconds,
    double SimulatorCpuSeconds,
    double PostgresCpuSeconds,
    int TotalParallelism)
{
    public IdleFigures? Idle { get; init; }

    public PageFigures? RecurringPage { get; init; }

    public double Ratio => WallSeconds / IdealSeconds;

    public double UsersPerSecond => Users / WallSeconds;
}

/// <summary>A node setup's two sweeps: the first after start (new accounts, cold code) and the next day's (warm, nothing new).</summary>
internal sealed record ScenarioPair(ScenarioResult First, ScenarioResult Next, FloorResult? Floor = null);

internal sealed record IdleFigures(double Seconds, double NodeCpuSeconds, double PostgresCpuSeconds);

internal sealed record PageFigures(int Requests, double MedianMs, double MaxMs, int Entries);
