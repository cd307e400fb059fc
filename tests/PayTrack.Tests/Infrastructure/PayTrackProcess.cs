using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace PayTrack.Tests.Infrastructure;

/// <summary>
/// PayTrack as an operator runs it: <c>dotnet PayTrack.Web.dll [verb]</c> in a process of its own,
/// from the web project's build output, with settings passed as environment variables.
/// </summary>
public sealed partial class PayTrackProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private PayTrackProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public static string WebDll
    {
        get
        {
            var configuration = typeof(PayTrackProcess).Assembly.Location.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
            var path = Path.Combine(RepoRoot, "src", "PayTrack.Web", "bin", configuration, "net10.0", "PayTrack.Web.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException("Build src/PayTrack.Web first.", path);
        }
    }

    public static string RepoRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "PayTrack.sln")))
            {
                dir = dir.Parent;
            }

            return dir?.FullName ?? throw new InvalidOperationException("PayTrack.sln not found above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>Starts the web server on a free port.</summary>
    public static PayTrackProcess StartServer(IReadOnlyDictionary<string, string?> environment)
    {
        var port = FreePort();
        return Start(["--urls", $"http://127.0.0.1:{port}"], environment, port);
    }

    /// <summary>Runs a verb to completion and returns its exit code and everything it printed.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string?> environment, string? standardInput = null)
    {
        await using var process = Start(arguments, environment, 0, standardInput);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process._process.WaitForExitAsync(timeout.Token);
        process._process.WaitForExit();
        return (process.ExitCode, process.Output);
    }

    public static PayTrackProcess Start(IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string?> environment, int port, string? standardInput = null)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(WebDll)!,
        };
        info.ArgumentList.Add(WebDll);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment.Remove("ConnectionStrings__PayTrack");
        // A server on its own database in Production refuses to start without a key ring secret; tests that check
        // that (or the embedded key file) pass null for it.
        info.Environment["PayTrack__DataProtection__Key"] = PayTrackAppFactory.KeyRingKey;
        // The tests' Kronos simulator listens on loopback, which PayTrack refuses to call unless told otherwise.
        info.Environment["PayTrack__Kronos__AllowPrivateAddresses"] = "true";
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var wrapper = new PayTrackProcess(process, port);
        process.OutputDataReceived += (_, e) => wrapper.Append(e.Data);
        process.ErrorDataReceived += (_, e) => wrapper.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (standardInput is not null)
        {
            process.StandardInput.Write(standardInput);
        }

        process.StandardInput.Close();
        return wrapper;
    }

    /// <summary>Polls until the server answers /health/ready with Healthy, or fails with its output.</summary>
    public async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"PayTrack exited with {_process.ExitCode}:\n{Output}");
            }

            try
            {
                using var response = await client.GetAsync("/health/ready");
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

            await Task.Delay(200);
        }

        throw new TimeoutException($"PayTrack was not ready within {timeout}:\n{Output}");
    }

    /// <summary>Asks the process to stop as a service manager (or Ctrl+C) does, and waits for it.</summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        if (_process.HasExited)
        {
            return;
        }

        _ = Kill(_process.Id, 15);
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
    }

    public void KillHard()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: false);
            _process.WaitForExit();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            try
            {
                await StopAsync(TimeSpan.FromSeconds(30));
            }
            catch (OperationCanceledException)
            {
                KillHard();
            }
        }

        _process.Dispose();
    }

    public static bool IsAlive(int pid) => Kill(pid, 0) == 0;

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
