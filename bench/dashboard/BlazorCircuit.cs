using System.Buffers;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.DependencyInjection;

namespace PayTrack.Bench.Dashboard;

/// <summary>
/// One open interactive page, opened the way blazor.web.js opens it: GET the page (the prerendered answer carries the
/// root component's marker and the persisted component state), connect to <c>/_blazor</c> over a WebSocket with the
/// session cookie, <c>StartCircuit</c> with no components, then <c>UpdateRootComponents</c> adding the prerendered
/// root. It acknowledges every render batch (the server stops rendering when too many are unacknowledged) and answers
/// every JS call as a browser that has run it (an <c>import</c> gets an object reference), so the server side holds
/// what a real browser's circuit holds. It counts the render batches it receives.
/// </summary>
internal sealed partial class BlazorCircuit : IAsyncDisposable
{
    private const int JsObjectReferenceResult = 1;
    private static readonly BlazorPackProtocol Protocol = new();

    private readonly HubConnection _hub;
    private readonly string _page;
    private long _batches;
    private long _lastBatchAt;
    private long _armedAt;
    private long _firstBatchAfterArm;
    private int _nextJsObjectId;
    private string? _error;

    private BlazorCircuit(HubConnection hub, string page)
    {
        _hub = hub;
        _page = page;
        hub.On<long, byte[], Task>("JS.RenderBatch", OnRenderBatchAsync);
        hub.On<long, string, string, int, long, int, Task>("JS.BeginInvokeJS", OnBeginInvokeJSAsync);
        hub.On<string>("JS.Error", error => _error = error);
        hub.On<long>("JS.EndUpdateRootComponents", _ => { });
        hub.Closed += error =>
        {
            _error ??= error?.Message ?? "closed";
            return Task.CompletedTask;
        };
    }

    public long Batches => Interlocked.Read(ref _batches);

    /// <summary>Stopwatch timestamp of the last render batch received.</summary>
    public long LastBatchAt => Interlocked.Read(ref _lastBatchAt);

    /// <summary>Stopwatch timestamp of the first render batch received after <see cref="Arm"/>; 0 while none came.</summary>
    public long FirstBatchAfterArm => Interlocked.Read(ref _firstBatchAfterArm);

    /// <summary>What went wrong on the circuit (a <c>JS.Error</c> from the server, or the connection closed), if anything.</summary>
    public string? Error => _error;

    /// <summary>From now on, the next render batch is timed.</summary>
    public void Arm()
    {
        Interlocked.Exchange(ref _firstBatchAfterArm, 0);
        Interlocked.Exchange(ref _armedAt, Stopwatch.GetTimestamp());
    }

    public static async Task<BlazorCircuit> OpenAsync(HttpClient http, Uri baseUri, CookieContainer cookies, string path, CancellationToken cancellationToken)
    {
        var pageUri = new Uri(baseUri, path);
        using var request = new HttpRequestMessage(HttpMethod.Get, pageUri);
        request.Headers.Add("Cookie", cookies.GetCookieHeader(baseUri));
        using var response = await http.SendAsync(request, cancellationToken);
        var html = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"GET {path} answered {(int)response.StatusCode}");
        }

        var markers = ServerMarkers().Matches(html).Select(m => JsonNode.Parse(m.Groups["json"].Value)!.AsObject())
            .OrderBy(m => m["sequence"]!.GetValue<int>()).ToList();
        if (markers.Count == 0)
        {
            throw new InvalidOperationException($"GET {path}: the page has no interactive server component (not signed in?)");
        }

        var state = ServerState().Match(html) is { Success: true } s ? s.Groups["state"].Value : "";
        var builder = new HubConnectionBuilder().WithUrl(new Uri(baseUri, "_blazor"), HttpTransportType.WebSockets, o => o.Cookies = cookies);
        builder.Services.AddSingleton<IHubProtocol>(Protocol);
        var hub = builder.Build();
        var circuit = new BlazorCircuit(hub, pageUri.ToString());
        try
        {
            await hub.StartAsync(cancellationToken);
            var circuitId = await hub.InvokeAsync<string?>("StartCircuit", baseUri.ToString(), pageUri.ToString(), "[]", state, cancellationToken);
            if (string.IsNullOrEmpty(circuitId))
            {
                throw new InvalidOperationException($"{path}: the server refused to start a circuit");
            }

            var operations = new JsonObject
            {
                ["batchId"] = 1,
                ["operations"] = new JsonArray(markers.Select((marker, i) => (JsonNode)new JsonObject
                {
                    ["type"] = "add",
                    ["ssrComponentId"] = i + 1,
                    ["marker"] = marker,
                }).ToArray()),
            };
            await hub.SendAsync("UpdateRootComponents", operations.ToJsonString(), state, cancellationToken);
            return circuit;
        }
        catch
        {
            await circuit.DisposeAsync();
            throw;
        }
    }

    private async Task OnRenderBatchAsync(long batchId, byte[] batch)
    {
        var now = Stopwatch.GetTimestamp();
        Interlocked.Increment(ref _batches);
        Interlocked.Exchange(ref _lastBatchAt, now);
        var armedAt = Interlocked.Read(ref _armedAt);
        if (armedAt != 0 && now >= armedAt)
        {
            Interlocked.CompareExchange(ref _firstBatchAfterArm, now, 0);
        }

        await _hub.SendAsync("OnRenderCompleted", batchId, null);
    }

    /// <summary>Answers a JS call as if the browser ran it: nothing for a void call, a fresh object for an import.</summary>
    private async Task OnBeginInvokeJSAsync(long asyncHandle, string identifier, string argsJson, int resultType, long targetInstanceId, int callType)
    {
        if (asyncHandle == 0)
        {
            return;
        }

        JsonNode? result = resultType == JsObjectReferenceResult
            ? new JsonObject { ["__jsObjectId"] = Interlocked.Increment(ref _nextJsObjectId) }
            : null;
        var answer = new JsonArray(asyncHandle, true, result).ToJsonString();
        await _hub.SendAsync("EndInvokeJSFromDotNet", asyncHandle, true, answer);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{_page} ({Batches} batches)");

    public async ValueTask DisposeAsync() => await _hub.DisposeAsync();

    [GeneratedRegex("""<!--Blazor:(?<json>\{"type":"server".*?\})-->""", RegexOptions.None, 1000)]
    private static partial Regex ServerMarkers();

    [GeneratedRegex("""<!--Blazor-Server-Component-State:(?<state>[A-Za-z0-9+/=]+)-->""", RegexOptions.None, 1000)]
    private static partial Regex ServerState();
}

/// <summary>Blazor's hub protocol, "blazorpack", is SignalR's MessagePack protocol under another name.</summary>
internal sealed class BlazorPackProtocol : IHubProtocol
{
    private readonly MessagePackHubProtocol _inner = new();

    public string Name => "blazorpack";

    public int Version => _inner.Version;

    public TransferFormat TransferFormat => TransferFormat.Binary;

    public bool IsVersionSupported(int version) => _inner.IsVersionSupported(version);

    public bool TryParseMessage(ref ReadOnlySequence<byte> input, IInvocationBinder binder, [NotNullWhen(true)] out HubMessage? message) =>
        _inner.TryParseMessage(ref input, binder, out message);

    public void WriteMessage(HubMessage message, IBufferWriter<byte> output) => _inner.WriteMessage(message, output);

    public ReadOnlyMemory<byte> GetMessageBytes(HubMessage message) => _inner.GetMessageBytes(message);
}
