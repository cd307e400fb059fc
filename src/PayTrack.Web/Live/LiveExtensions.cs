using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Security.Claims;
using PayTrack.Web.Components.Account;

namespace PayTrack.Web.Live;

public static class LiveExtensions
{
    private static readonly TimeSpan PingInterval = TimeSpan.FromSeconds(20);

    public static WebApplicationBuilder AddLive(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<LiveBroker>();
        builder.Services.AddSingleton<PostgresLiveNotifier>();
        builder.Services.AddSingleton<ILiveNotifier>(sp => sp.GetRequiredService<PostgresLiveNotifier>());
        builder.Services.AddHostedService(sp => sp.GetRequiredService<PostgresLiveNotifier>());
        return builder;
    }

    /// <summary>GET /live: the signed-in user's server-sent events (job progress, new data), with a ping every 20 s.</summary>
    public static IEndpointRouteBuilder MapLive(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/live", (HttpContext context, LiveBroker broker, IHostApplicationLifetime lifetime) =>
        {
            var userId = context.User.FindFirstValue(ClaimTypes.NameIdentifier)!;
            var isAdmin = context.User.IsInRole(AccountsExtensions.AdminRole);
            // Without the link to ApplicationStopping, open streams hold shutdown for half a minute.
            var cancellation = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
            context.Response.RegisterForDispose(cancellation);
            context.Response.Headers.CacheControl = "no-cache";
            return TypedResults.ServerSentEvents(StreamAsync(broker.Subscribe(userId, isAdmin), cancellation.Token));
        }).RequireAuthorization();
        return endpoints;
    }

    private static async IAsyncEnumerable<SseItem<string>> StreamAsync(LiveBroker.Subscription subscription, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var _ = subscription;
        yield return new SseItem<string>("ready", "connected");
        while (!cancellationToken.IsCancellationRequested)
        {
            using var ping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            ping.CancelAfter(PingInterval);
            LiveEvent? next = null;
            try
            {
                if (await subscription.Reader.WaitToReadAsync(ping.Token))
                {
                    subscription.Reader.TryRead(out next);
                }
                else
                {
                    yield break;
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }
            catch (OperationCanceledException)
            {
                yield break;
            }

            yield return next is null ? new SseItem<string>("", "ping") : new SseItem<string>(next.Data, next.Kind);
        }
    }
}
