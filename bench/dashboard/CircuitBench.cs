using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Npgsql;
using NpgsqlTypes;
using PayTrack.Web.Live;

namespace PayTrack.Bench.Dashboard;

/// <summary>
/// Many open dashboards on one node: signs in one generated user per circuit, opens a few circuits to warm the node
/// up, measures the web process's memory after a full GC, opens the measured circuits, measures again, then makes a
/// data change for every circuit's user (a shift entered by hand, inserted and announced with the app's NOTIFY in one
/// transaction, as the Shifts page does) and times until every circuit has received a render batch after the commit.
/// </summary>
internal static partial class CircuitBench
{
    public sealed record CircuitSettings(Uri BaseUri, string ConnectionString, int WebPid, string Password, int Circuits, int WarmupCircuits,
        int Parallel, string GcDump, string WorkDirectory);

    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(5);

    public static async Task<int> RunAsync(CircuitSettings settings)
    {
        var total = settings.Circuits + settings.WarmupCircuits;
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(30));
        var ct = cancel.Token;

        // Users 1.. (user 0 is the heavy user the wrk run signs in as); one user per circuit.
        var users = Enumerable.Range(1, total).ToList();
        var clock = Stopwatch.StartNew();
        var cookies = new CookieContainer[total];
        await Parallel.ForEachAsync(Enumerable.Range(0, total), new ParallelOptions { MaxDegreeOfParallelism = settings.Parallel, CancellationToken = ct },
            async (i, token) => cookies[i] = await SignInAsync(settings.BaseUri, Generator.Email(users[i]), settings.Password, token));
        Print("signin_seconds", clock.Elapsed.TotalSeconds, "0.0");

        using var http = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false });
        var warm = await OpenAsync(http, settings, cookies[..settings.WarmupCircuits], ct);
        await SettleAsync(warm, ct);
        var before = await MeasureAsync(settings, "before", ct);

        clock.Restart();
        var measured = await OpenAsync(http, settings, cookies[settings.WarmupCircuits..], ct);
        Print("open_seconds", clock.Elapsed.TotalSeconds, "0.0");
        await SettleAsync([.. warm, .. measured], ct);
        var after = await MeasureAsync(settings, "after", ct);
        PrintMemory(before, after, settings);

        var change = await ChangesAsync(settings, users[settings.WarmupCircuits..], warm, measured, ct);
        Print("change_reached", change.Reached, "0");
        Print("change_p50_ms", change.P50Ms, "0");
        Print("change_p95_ms", change.P95Ms, "0");
        Print("change_all_ms", change.AllMs, "0");
        Print("change_commit_ms", change.CommitMs, "0.0");
        Print("change_web_cpu_ms_per_circuit", change.WebCpuMsPerCircuit, "0.0");

        var failed = measured.Count(c => c.Error is not null);
        Print("circuit_errors", failed, "0");
        if (measured.FirstOrDefault(c => c.Error is not null) is { } broken)
        {
            Console.Error.WriteLine($"a circuit failed: {broken.Error}");
        }

        await Task.WhenAll([.. warm.Select(c => c.DisposeAsync().AsTask()), .. measured.Select(c => c.DisposeAsync().AsTask())]);
        return 0;
    }

    /// <summary>Four data changes for the measured circuits' users, one after the other; returns the last (see the comment).</summary>
    private static async Task<Change> ChangesAsync(CircuitSettings settings, IReadOnlyList<int> users, List<BlazorCircuit> warm, List<BlazorCircuit> measured, CancellationToken ct)
    {
        // The first data changes after a start run the refresh on code .NET has not optimised yet: tiered compilation
        // recompiles hot methods in the background, and in a perf profile of the first waves its thread took two thirds of
        // the CPU. The first change is timed and reported on its own, two more warm the node up (their times reported
        // too), and the measured change is the fourth, as every later change on a running node.
        var first = await ChangeAsync(settings, users, measured, startHour: 1, ct);
        Print("first_change_p50_ms", first.P50Ms, "0");
        Print("first_change_all_ms", first.AllMs, "0");
        Print("first_change_web_cpu_ms_per_circuit", first.WebCpuMsPerCircuit, "0.0");
        var warming = new List<double>();
        for (var hour = 2; hour <= 3; hour++)
        {
            await SettleAsync([.. warm, .. measured], ct);
            warming.Add((await ChangeAsync(settings, users, measured, startHour: hour, ct)).AllMs);
        }

        Console.WriteLine($"warming_changes_all_ms='{string.Join(" and ", warming.Select(ms => ms.ToString("0", CultureInfo.InvariantCulture)))}'");
        await SettleAsync([.. warm, .. measured], ct);

        return await ChangeAsync(settings, users, measured, startHour: 4, ct);
    }

    private static void PrintMemory(Memory before, Memory after, CircuitSettings settings)
    {
        var n = settings.Circuits;
        Print("circuits", n, "0");
        Print("warm_circuits", settings.WarmupCircuits, "0");
        Print("rss_before_mib", before.RssKb / 1024.0, "0");
        Print("rss_after_mib", after.RssKb / 1024.0, "0");
        Print("rss_per_circuit_kb", (after.RssKb - before.RssKb) / (double)n, "0");
        Print("anon_before_mib", before.AnonKb / 1024.0, "0");
        Print("anon_after_mib", after.AnonKb / 1024.0, "0");
        Print("anon_per_circuit_kb", (after.AnonKb - before.AnonKb) / (double)n, "0");
        Print("heap_before_mib", before.HeapBytes / 1048576.0, "0.0");
        Print("heap_after_mib", after.HeapBytes / 1048576.0, "0.0");
        Print("heap_per_circuit_kb", (after.HeapBytes - before.HeapBytes) / 1024.0 / n, "0");
        Console.WriteLine($"heap_growth='{Growth(before, after, n)}'");
    }

    /// <summary>Signs in through the account page's form, as a browser does; the container then holds the session cookie.</summary>
    private static async Task<CookieContainer> SignInAsync(Uri baseUri, string email, string password, CancellationToken ct)
    {
        var cookies = new CookieContainer();
        using var http = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = baseUri };
        var login = await http.GetStringAsync(new Uri("account/login", UriKind.Relative), ct);
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["__RequestVerificationToken"] = FormValue(login, "__RequestVerificationToken"),
            ["_handler"] = FormValue(login, "_handler"),
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        });
        using var answer = await http.PostAsync(new Uri("account/login", UriKind.Relative), form, ct);
        return answer.StatusCode == HttpStatusCode.Redirect
            ? cookies
            : throw new InvalidOperationException($"signing in as {email} answered {(int)answer.StatusCode}");
    }

    private static string FormValue(string html, string name) =>
        Regex.Match(html, $"name=\"{Regex.Escape(name)}\" value=\"(?<v>[^\"]*)\"", RegexOptions.None, TimeSpan.FromSeconds(1)) is { Success: true } m
            ? WebUtility.HtmlDecode(m.Groups["v"].Value)
            : throw new InvalidOperationException($"the sign-in page has no {name}");

    private static async Task<List<BlazorCircuit>> OpenAsync(HttpClient http, CircuitSettings settings, CookieContainer[] cookies, CancellationToken ct)
    {
        var circuits = new BlazorCircuit[cookies.Length];
        await Parallel.ForEachAsync(Enumerable.Range(0, cookies.Length), new ParallelOptions { MaxDegreeOfParallelism = settings.Parallel, CancellationToken = ct },
            async (i, token) => circuits[i] = await BlazorCircuit.OpenAsync(http, settings.BaseUri, cookies[i], "/", token));
        return [.. circuits];
    }

    /// <summary>Waits until every circuit has rendered and none has received a batch for a while (charts drawn, panels loaded).</summary>
    private static async Task SettleAsync(List<BlazorCircuit> circuits, CancellationToken ct)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(Deadline.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            if (circuits.FirstOrDefault(c => c.Error is not null) is { } broken)
            {
                throw new InvalidOperationException($"a circuit failed: {broken.Error}");
            }

            var now = Stopwatch.GetTimestamp();
            if (circuits.All(c => c.Batches > 0) && circuits.All(c => Stopwatch.GetElapsedTime(c.LastBatchAt, now) >= Quiet))
            {
                return;
            }

            if (now > deadline)
            {
                throw new TimeoutException($"{circuits.Count(c => c.Batches == 0)} of {circuits.Count} circuits never rendered");
            }

            await Task.Delay(100, ct);
        }
    }

    private sealed record Memory(long RssKb, long AnonKb, long HeapBytes, Dictionary<string, long> Types);

    /// <summary>
    /// dotnet-gcdump makes the web process run a full blocking GC and walks what is left; its report gives the live
    /// managed heap by type. The resident and anonymous (private) memory are read after that GC.
    /// </summary>
    private static async Task<Memory> MeasureAsync(CircuitSettings settings, string name, CancellationToken ct)
    {
        var file = Path.Combine(settings.WorkDirectory, $"circuits-{name}.gcdump");
        File.Delete(file);
        await RunAsync(settings.GcDump, ["collect", "-p", settings.WebPid.ToString(CultureInfo.InvariantCulture), "-o", file], ct);
        var report = await RunAsync(settings.GcDump, ["report", file], ct);
        await File.WriteAllTextAsync(Path.ChangeExtension(file, ".txt"), report, ct);
        // Rows are "average object bytes, count, type"; the total is its own line.
        var types = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (Match row in ReportRow().Matches(report))
        {
            var type = TypeSuffix().Replace(row.Groups["type"].Value.Trim(), "");
            types[type] = types.GetValueOrDefault(type) + (Number(row.Groups["size"].Value) * Number(row.Groups["count"].Value));
        }

        var heap = HeapTotal().Match(report) is { Success: true } total ? Number(total.Groups["bytes"].Value) : types.Values.Sum();
        var status = await File.ReadAllLinesAsync($"/proc/{settings.WebPid}/status", ct);
        return new Memory(StatusKb(status, "VmRSS"), StatusKb(status, "RssAnon"), heap, types);
    }

    private static long Number(string digits) => long.Parse(digits.Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);

    private static long StatusKb(string[] status, string field) =>
        long.Parse(status.First(l => l.StartsWith(field + ":", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);

    /// <summary>The types whose live bytes grew most, per circuit.</summary>
    private static string Growth(Memory before, Memory after, int circuits) =>
        string.Join("; ", after.Types
            .Select(t => (Type: t.Key, Bytes: t.Value - before.Types.GetValueOrDefault(t.Key)))
            .OrderByDescending(t => t.Bytes).Take(12)
            .Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Bytes / 1024.0 / circuits:0.0} KB {Shorten(t.Type)}")));

    private static string Shorten(string type) => type.Replace("'", "", StringComparison.Ordinal).Length > 90 ? type.Replace("'", "", StringComparison.Ordinal)[..90] + "..." : type.Replace("'", "", StringComparison.Ordinal);

    private sealed record Change(int Reached, double P50Ms, double P95Ms, double AllMs, double CommitMs, double WebCpuMsPerCircuit);

    /// <summary>
    /// A shift entered by hand for every measured circuit's user (today, 05:00 to 06:00 in their zone, before any
    /// generated shift), announced with the app's data-changed event on its NOTIFY channel, all in one transaction: the
    /// notifications leave at the commit. Timed from the start of the commit to each circuit's next render batch.
    /// </summary>
    private static async Task<Change> ChangeAsync(CircuitSettings settings, IReadOnlyList<int> users, List<BlazorCircuit> circuits, int startHour, CancellationToken ct)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(Generator.Zone);
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, zone).DateTime);
        var start = new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(today.ToDateTime(new TimeOnly(startHour, 0)), zone), TimeSpan.Zero);
        var ids = users.Select(Generator.UserId).ToArray();
        var payloads = ids.Select(id => JsonSerializer.Serialize(new LiveEvent(LiveEvent.DataChanged, id, "{\"source\":\"manual\"}"))).ToArray();

        await using var dataSource = NpgsqlDataSource.Create(settings.ConnectionString);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using (var insert = new NpgsqlCommand("""
            INSERT INTO shifts (user_id, job_id, raw_punch_id, local_date, start_at, end_at, time_zone, worked_minutes, paid_minutes,
                                status, note, edited, source, user_note, updated_at)
            SELECT u, (SELECT min(j.id) FROM jobs j WHERE j.user_id = u), NULL, $2, $3, $4, $5, 60, 60, 'complete', NULL, false, 'manual', NULL, now()
            FROM unnest($1::text[]) u
            """, connection, transaction))
        {
            insert.Parameters.Add(new NpgsqlParameter { Value = ids, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            insert.Parameters.Add(new NpgsqlParameter { Value = today, NpgsqlDbType = NpgsqlDbType.Date });
            insert.Parameters.Add(new NpgsqlParameter { Value = start, NpgsqlDbType = NpgsqlDbType.TimestampTz });
            insert.Parameters.Add(new NpgsqlParameter { Value = start.AddHours(1), NpgsqlDbType = NpgsqlDbType.TimestampTz });
            insert.Parameters.Add(new NpgsqlParameter { Value = Generator.Zone, NpgsqlDbType = NpgsqlDbType.Text });
            await insert.ExecuteNonQueryAsync(ct);
        }

        await using (var notify = new NpgsqlCommand("SELECT count(pg_notify($1, p)) FROM unnest($2::text[]) p", connection, transaction))
        {
            notify.Parameters.Add(new NpgsqlParameter { Value = PostgresLiveNotifier.Channel });
            notify.Parameters.Add(new NpgsqlParameter { Value = payloads, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            await notify.ExecuteNonQueryAsync(ct);
        }

        foreach (var circuit in circuits)
        {
            circuit.Arm();
        }

        var cpuBefore = CpuMs(settings.WebPid);
        var committing = Stopwatch.GetTimestamp();
        await transaction.CommitAsync(ct);
        var commitMs = Stopwatch.GetElapsedTime(committing).TotalMilliseconds;
        var deadline = committing + (long)(Deadline.TotalSeconds * Stopwatch.Frequency);
        while (circuits.Any(c => c.FirstBatchAfterArm == 0) && Stopwatch.GetTimestamp() < deadline)
        {
            await Task.Delay(10, ct);
        }

        var cpuMs = CpuMs(settings.WebPid) - cpuBefore;
        var times = circuits.Where(c => c.FirstBatchAfterArm != 0)
            .Select(c => Stopwatch.GetElapsedTime(committing, c.FirstBatchAfterArm).TotalMilliseconds).Order().ToList();
        return new Change(times.Count, Percentile(times, 50), Percentile(times, 95), times.Count == circuits.Count ? times[^1] : double.NaN, commitMs,
            cpuMs / (double)circuits.Count);
    }

    private static double Percentile(List<double> sorted, int p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Max(0, (int)Math.Ceiling(p / 100.0 * sorted.Count) - 1)];

    /// <summary>User plus system CPU time of a process, from /proc (clock ticks of 10 ms).</summary>
    private static double CpuMs(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) * 10.0;
    }

    private static async Task<string> RunAsync(string file, string[] arguments, CancellationToken ct)
    {
        var info = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync(ct);
        var error = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        return process.ExitCode == 0
            ? await output
            : throw new InvalidOperationException($"{Path.GetFileName(file)} {string.Join(' ', arguments)} failed: {await error}{await output}");
    }

    private static void Print(string key, double value, string format) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{key}={value.ToString(format, CultureInfo.InvariantCulture)}"));

    [GeneratedRegex(@"^\s*(?<size>[\d,]+)\s+(?<count>[\d,]+)\s+(?<type>.+)$", RegexOptions.Multiline, 1000)]
    private static partial Regex ReportRow();

    [GeneratedRegex(@"^\s*(?<bytes>[\d,]+)\s+GC Heap bytes", RegexOptions.Multiline, 1000)]
    private static partial Regex HeapTotal();

    /// <summary>The report splits a type by object size ("(Bytes > 10K)") and names its assembly; one row per type here.</summary>
    [GeneratedRegex(@"(\s+\(Bytes > [^)]*\))?\s+\[[^\]]*\]$", RegexOptions.ExplicitCapture, 1000)]
    private static partial Regex TypeSuffix();
}
