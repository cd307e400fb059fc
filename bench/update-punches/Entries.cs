using System.Diagnostics;
using System.Globalization;
using System.Net;
using PayTrack.Web.LocalPostgres;

namespace PayTrack.Bench.UpdatePunches;

/// <summary>The Hangfire Dashboard's <c>catchup:&lt;email&gt;</c> entries, one per user: what they cost an idle node and the Recurring Jobs page.</summary>
internal static partial class Entries
{
    public const string AdminEmail = "admin@bench.test";
    public const string AdminPassword = "Bench-admin-1!";

    /// <summary>A node started on the base database adds every user's entry at its start; waits for them and says how long it took.</summary>
    public static async Task<double> CreateAsync(BenchOptions options, string db, int users)
    {
        var watch = Stopwatch.StartNew();
        var (process, port) = Processes.StartNode(options, db);
        try
        {
            await Processes.WaitReadyAsync(process, port);
            await Sql.WaitAsync(db, $"SELECT count(*) >= {users} FROM hangfire.set WHERE key = 'recurring-jobs' AND value LIKE 'catchup:%'",
                TimeSpan.FromMinutes(30), progress: "SELECT count(*) FROM hangfire.set WHERE key = 'recurring-jobs' AND value LIKE 'catchup:%'");
            return watch.Elapsed.TotalSeconds;
        }
        finally
        {
            Processes.Stop(process);
        }
    }

    /// <summary>CPU of a node with nothing to do (and of PostgreSQL, which answers its polls) over half a minute.</summary>
    public static async Task<IdleFigures> MeasureIdleAsync(Process node, LocalPostgresServer server, BenchOptions options)
    {
        _ = options;
        // Let start-up work settle first.
        await Task.Delay(TimeSpan.FromSeconds(10));
        var (nodeBefore, pgBefore) = (Cpu.Of(node), Cpu.OfPostgres(server));
        var watch = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(30));
        var figures = new IdleFigures(watch.Elapsed.TotalSeconds, Cpu.Of(node) - nodeBefore, Cpu.OfPostgres(server) - pgBefore);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Idle node: {figures.NodeCpuSeconds:F2} s CPU (PostgreSQL {figures.PostgresCpuSeconds:F2} s) in {figures.Seconds:F0} s"));
        return figures;
    }

    /// <summary>Signs in as the administrator and times the dashboard's Recurring Jobs page, ten times.</summary>
    public static async Task<PageFigures> MeasureRecurringPageAsync(int port)
    {
        using var handler = new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false };
        using var http = new HttpClient(handler) { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(2) };
        var login = await http.GetStringAsync("/account/login");
        var fields = Hidden().Matches(login).ToDictionary(m => WebUtility.HtmlDecode(m.Groups["name"].Value), m => WebUtility.HtmlDecode(m.Groups["value"].Value), StringComparer.Ordinal);
        fields["Input.Email"] = AdminEmail;
        fields["Input.Password"] = AdminPassword;
        using (var signIn = await http.PostAsync("/account/login", new FormUrlEncodedContent(fields)))
        {
            if (signIn.StatusCode != HttpStatusCode.Redirect)
            {
                throw new InvalidOperationException($"Signing in as the bench's admin answered {(int)signIn.StatusCode}.");
            }
        }

        var times = new List<double>();
        var entries = 0;
        for (var i = 0; i < 11; i++)
        {
            var watch = Stopwatch.StartNew();
            using var response = await http.GetAsync("/hangfire/recurring");
            var html = await response.Content.ReadAsStringAsync();
            watch.Stop();
            response.EnsureSuccessStatusCode();
            if (i > 0)
            {
                times.Add(watch.Elapsed.TotalMilliseconds);
            }

            var total = Total().Match(html);
            entries = total.Success ? int.Parse(total.Groups["n"].Value.Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture) : entries;
        }

        times.Sort();
        var figures = new PageFigures(times.Count, times[times.Count / 2], times[^1], entries);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Recurring Jobs page: median {figures.MedianMs:F0} ms, max {figures.MaxMs:F0} ms ({figures.Entries:N0} entries)"));
        return figures;
    }

    [System.Text.RegularExpressions.GeneratedRegex("<input[^>]*type=\"hidden\"[^>]*name=\"(?<name>[^\"]+)\"[^>]*value=\"(?<value>[^\"]*)\"", System.Text.RegularExpressions.RegexOptions.None, 1000)]
    private static partial System.Text.RegularExpressions.Regex Hidden();

    [System.Text.RegularExpressions.GeneratedRegex("Total items: (?<n>[0-9,]+)", System.Text.RegularExpressions.RegexOptions.None, 1000)]
    private static partial System.Text.RegularExpressions.Regex Total();
}
