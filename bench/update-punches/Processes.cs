using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using PayTrack.Web.LocalPostgres;

namespace PayTrack.Bench.UpdatePunches;

internal static class Processes
{
    /// <summary>The secret that protects the key ring (required in Production): one per bench run, the same for every process.</summary>
    public static readonly string DataProtectionKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    public static async Task<(Process Process, string Url)> StartSimulatorAsync(BenchOptions options)
    {
        var lines = new StringBuilder();
        var url = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = Start(options.SimulatorDll, ["--urls", "http://127.0.0.1:0"], new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Simulator__AccountCount"] = options.Users.ToString(CultureInfo.InvariantCulture),
            ["Simulator__Faults__LatencyMs"] = options.LatencyMs.ToString(CultureInfo.InvariantCulture),
        }, line =>
        {
            lock (lines)
            {
                lines.AppendLine(line);
            }

            const string Marker = "Now listening on: ";
            if (line.Contains(Marker, StringComparison.Ordinal))
            {
                url.TrySetResult(line[(line.IndexOf(Marker, StringComparison.Ordinal) + Marker.Length)..].Trim());
            }
        });
        var done = await Task.WhenAny(url.Task, Task.Delay(TimeSpan.FromSeconds(60)));
        return done == url.Task ? (process, await url.Task) : throw new InvalidOperationException("The simulator did not start:\n" + lines);
    }

    public static (Process, int) StartNode(BenchOptions options, string connectionString)
    {
        var port = FreePort();
        var process = Start(options.WebDll, ["--urls", $"http://127.0.0.1:{port}"], new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["ConnectionStrings__PayTrack"] = connectionString,
            ["PayTrack__Jobs__WorkerCount"] = options.Parallelism.ToString(CultureInfo.InvariantCulture),
            // No nightly run in the middle of a measurement: February 30th never comes.
            ["PayTrack__Jobs__UpdatePunchesCron"] = "0 0 30 2 *",
            ["PayTrack__Admin__Email"] = Entries.AdminEmail,
            ["PayTrack__Admin__Password"] = Entries.AdminPassword,
            ["Serilog__MinimumLevel__Default"] = "Warning",
            // The simulator listens on loopback, which PayTrack refuses to call unless told otherwise.
            ["PayTrack__Kronos__AllowPrivateAddresses"] = "true",
        }, line => Console.Error.WriteLine($"[node {port}] {line}"));
        return (process, port);
    }

    public static async Task WaitReadyAsync(Process process, int port)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"Node on port {port} exited with {process.ExitCode}.");
            }

            try
            {
                using var response = await http.GetAsync($"http://127.0.0.1:{port}/health/ready");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"Node on port {port} was not ready in time.");
    }

    public static async Task<(int ExitCode, string Output)> RunVerbAsync(BenchOptions options, string[] verb, string connectionString)
    {
        var output = new StringBuilder();
        using var process = Start(options.WebDll, verb, new Dictionary<string, string>(StringComparer.Ordinal) { ["ConnectionStrings__PayTrack"] = connectionString }, line =>
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        });
        await process.WaitForExitAsync();
        process.WaitForExit();
        return (process.ExitCode, output.ToString());
    }

    public static void Stop(Process? process)
    {
        if (process is null || process.HasExited)
        {
            return;
        }

        // SIGTERM, as a service manager stops a node; hard after 30 s.
        _ = Native.Kill(process.Id, 15);
        if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
        {
            process.Kill();
            process.WaitForExit();
        }
    }

    private static Process Start(string dll, IEnumerable<string> arguments, Dictionary<string, string> environment, Action<string> onLine)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Path.GetDirectoryName(dll)! };
        info.ArgumentList.Add(dll);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        info.Environment["PayTrack__DataProtection__Key"] = DataProtectionKey;
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                onLine(e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                onLine(e.Data);
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

internal static partial class Native
{
    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    internal static partial int Kill(int pid, int signal);
}

/// <summary>CPU seconds used so far by a process tree read from /proc: PostgreSQL's postmaster with its backends, or one process.</summary>
internal static class Cpu
{
    private static readonly double TicksPerSecond = 100;

    public static double OfPostgres(LocalPostgresServer server)
    {
        var postmaster = int.Parse(File.ReadLines(Path.Combine(server.DataDirectory, "postmaster.pid")).First(), CultureInfo.InvariantCulture);
        var total = Seconds(postmaster, includeReaped: true);
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && pid != postmaster && Parent(pid) == postmaster)
            {
                total += Seconds(pid, includeReaped: true);
            }
        }

        return total;
    }

    public static double Of(Process process) => Seconds(process.Id, includeReaped: true);

    private static int Parent(int pid) => Fields(pid) is { } f ? int.Parse(f[1], CultureInfo.InvariantCulture) : -1;

    private static double Seconds(int pid, bool includeReaped)
    {
        if (Fields(pid) is not { } f)
        {
            return 0;
        }

        // Fields after the command: state ppid ... utime(14) stime(15) cutime(16) cstime(17), counted from 1 in proc(5).
        long Field(int number) => long.Parse(f[number - 3], CultureInfo.InvariantCulture);
        var ticks = Field(14) + Field(15) + (includeReaped ? Field(16) + Field(17) : 0);
        return ticks / TicksPerSecond;
    }

    private static string[]? Fields(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
