using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace PayTrack.Tests.Infrastructure;

/// <summary>
/// The few Docker Engine API calls the test cluster needs before and after Testcontainers: does an engine answer
/// (and which API version it speaks), is an image present, and removing the containers of runs that are gone.
/// Speaks to the engine's Unix socket only (DOCKER_HOST=unix://... or /var/run/docker.sock).
/// </summary>
internal sealed class DockerEngine : IDisposable
{
    /// <summary>Label on every container a test run starts; its value names the run that owns it.</summary>
    public const string OwnerLabel = "paytrack.tests.owner";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly HttpClient _http;

    private DockerEngine(string socketPath)
    {
        SocketPath = socketPath;
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        _http = new HttpClient(handler) { BaseAddress = new Uri("http://docker/"), Timeout = TimeSpan.FromSeconds(10) };
    }

    public string SocketPath { get; }

    /// <summary>This test run's owner value: host, process id and its start time (a reused pid is another owner).</summary>
    public static string CurrentOwner { get; } = OwnerOf(Environment.MachineName, Environment.ProcessId, Process.GetCurrentProcess().StartTime);

    /// <summary>The engine named by DOCKER_HOST when it is a Unix socket, else the default socket; null for a TCP engine.</summary>
    public static DockerEngine? FromEnvironment()
    {
        var host = Environment.GetEnvironmentVariable("DOCKER_HOST");
        if (string.IsNullOrWhiteSpace(host))
        {
            return new DockerEngine("/var/run/docker.sock");
        }

        return host.StartsWith("unix://", StringComparison.Ordinal) ? new DockerEngine(host["unix://".Length..]) : null;
    }

    /// <summary>The engine's API version, or null when nothing answers on the socket within the timeout.</summary>
    public async Task<Version?> ApiVersionAsync(TimeSpan timeout)
    {
        if (!File.Exists(SocketPath))
        {
            return null;
        }

        using var cts = new CancellationTokenSource(timeout);
        try
        {
            var version = await _http.GetFromJsonAsync<EngineVersion>("version", Json, cts.Token);
            return Version.TryParse(version?.ApiVersion, out var api) ? api : null;
        }
        catch (Exception e) when (e is HttpRequestException or SocketException or IOException or OperationCanceledException or JsonException)
        {
            return null;
        }
    }

    public async Task<bool> ImageExistsAsync(string image)
    {
        using var response = await _http.GetAsync($"images/{image}/json");
        return response.IsSuccessStatusCode;
    }

    /// <summary>A container's labels and the host addresses its ports are published on, or null when it does not exist.</summary>
    public async Task<ContainerFacts?> InspectAsync(string containerId)
    {
        using var response = await _http.GetAsync($"containers/{containerId}/json");
        if (!response.IsSuccessStatusCode)
        {
            return null;
        }

        var inspect = await response.Content.ReadFromJsonAsync<ContainerInspect>(Json);
        var hostIps = inspect?.HostConfig?.PortBindings?.Values.SelectMany(b => b ?? []).Select(b => b.HostIp ?? "").ToList() ?? [];
        return new ContainerFacts(inspect?.Config?.Labels ?? [], hostIps);
    }

    /// <summary>Removes containers started by test runs on this machine whose process is gone (a run that was killed).</summary>
    public async Task<int> RemoveAbandonedAsync()
    {
        var filters = Uri.EscapeDataString(JsonSerializer.Serialize(new Dictionary<string, string[]> { ["label"] = [OwnerLabel] }));
        var containers = await _http.GetFromJsonAsync<List<ContainerSummary>>($"containers/json?all=true&filters={filters}", Json) ?? [];
        var removed = 0;
        foreach (var container in containers)
        {
            if (container.Labels.TryGetValue(OwnerLabel, out var owner) && IsAbandoned(owner))
            {
                Remove(container.Id);
                removed++;
            }
        }

        return removed;
    }

    /// <summary>Removes a container and its anonymous volumes, running or not. Synchronous: it runs at process exit.</summary>
    public void Remove(string containerId)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Delete, $"containers/{containerId}?force=true&v=true");
            using var response = _http.Send(request);
        }
        catch (Exception e) when (e is HttpRequestException or SocketException or IOException or OperationCanceledException)
        {
            // The engine went away first; nothing is left to remove.
        }
    }

    public void Dispose() => _http.Dispose();

    // The start time, in whole seconds: Linux gives a process's start in clock ticks since boot, and each process that
    // converts it to a date computes the boot time anew, so two readings differ by a few milliseconds.
    private static string OwnerOf(string host, int pid, DateTime started) =>
        FormattableString.Invariant($"{host}/{pid}/{new DateTimeOffset(started.ToUniversalTime()).ToUnixTimeSeconds()}");

    private static bool IsAbandoned(string owner)
    {
        var parts = owner.Split('/');
        if (parts.Length != 3 || parts[0] != Environment.MachineName
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
            || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var startedAt))
        {
            return false; // another machine's run (a shared engine): not ours to judge
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            var started = new DateTimeOffset(process.StartTime.ToUniversalTime()).ToUnixTimeSeconds();
            return Math.Abs(started - startedAt) > 2; // a live process with this pid that started at another time: the pid was reused
        }
        catch (ArgumentException)
        {
            return true; // no such process
        }
        catch (InvalidOperationException)
        {
            return true; // it exited while we looked
        }
    }

    public sealed record ContainerFacts(IReadOnlyDictionary<string, string> Labels, IReadOnlyList<string> PublishedOn);

    private sealed record EngineVersion(string? ApiVersion);

    private sealed record ContainerInspect(InspectConfig? Config, InspectHostConfig? HostConfig);

    private sealed record InspectConfig(Dictionary<string, string>? Labels);

    private sealed record InspectHostConfig(Dictionary<string, List<InspectPortBinding>?>? PortBindings);

    private sealed record InspectPortBinding(string? HostIp, string? HostPort);

    private sealed record ContainerSummary(string Id, [property: JsonPropertyName("Labels")] Dictionary<string, string> Labels);
}
