using System.Globalization;
using PayTrack.Bench.Dashboard;

// dotnet DashboardBench.dll generate CONNECTION USERS YEARS HEAVY_YEARS HEAVY_EMAIL PASSWORD TODAY
// dotnet DashboardBench.dll queries CONNECTION EMAIL ITERATIONS
// dotnet DashboardBench.dll circuits BASE_URL CONNECTION WEB_PID PASSWORD CIRCUITS WARMUP_CIRCUITS PARALLEL GCDUMP WORK_DIR
// Figures are printed as key=value lines for run.sh.
switch (args.FirstOrDefault())
{
    case "generate":
        var options = new Generator.Options(args[1], int.Parse(args[2], CultureInfo.InvariantCulture), int.Parse(args[3], CultureInfo.InvariantCulture),
            int.Parse(args[4], CultureInfo.InvariantCulture), args[5], args[6], DateOnly.ParseExact(args[7], "yyyy-MM-dd", CultureInfo.InvariantCulture));
        var elapsed = await Generator.RunAsync(options);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"generate_seconds={elapsed.TotalSeconds:0.0}"));
        return 0;
    case "queries":
        var result = await QueryComparison.RunAsync(args[1], args[2], int.Parse(args[3], CultureInfo.InvariantCulture));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
            page_queries_median_ms={result.PageQueriesMedianMs:0.000}
            page_queries_p95_ms={result.PageQueriesP95Ms:0.000}
            page_total_median_ms={result.PageTotalMedianMs:0.000}
            hand_median_ms={result.HandMedianMs:0.000}
            hand_p95_ms={result.HandP95Ms:0.000}
            queries_ratio={result.PageQueriesMedianMs / result.HandMedianMs:0.00}
            figures_agree={(result.Agree ? "yes" : "NO")}
            figures='{result.Figures}'
            """));
        return result.Agree ? 0 : 3;
    case "circuits":
        return await CircuitBench.RunAsync(new CircuitBench.CircuitSettings(new Uri(args[1]), args[2], int.Parse(args[3], CultureInfo.InvariantCulture), args[4],
            int.Parse(args[5], CultureInfo.InvariantCulture), int.Parse(args[6], CultureInfo.InvariantCulture), int.Parse(args[7], CultureInfo.InvariantCulture),
            args[8], args[9]));
    default:
        Console.Error.WriteLine("usage: generate CONNECTION USERS YEARS HEAVY_YEARS HEAVY_EMAIL PASSWORD TODAY | queries CONNECTION EMAIL ITERATIONS | circuits BASE_URL CONNECTION WEB_PID PASSWORD CIRCUITS WARMUP_CIRCUITS PARALLEL GCDUMP WORK_DIR");
        return 2;
}
