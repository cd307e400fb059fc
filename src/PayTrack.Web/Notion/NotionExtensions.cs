using System.Net;
using Microsoft.Extensions.Options;
using PayTrack.Web.Kronos;

namespace PayTrack.Web.Notion;

public static class NotionExtensions
{
    /// <summary>The Notion client (PayTrack:Notion), its pacing per token, the connection store, the sync and its job (run after every change).</summary>
    public static WebApplicationBuilder AddNotion(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<NotionOptions>().BindConfiguration(NotionOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<NotionPacer>();
        builder.Services.AddHttpClient<NotionClient>(http => http.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(static services => OutboundGuard.Apply(
                new SocketsHttpHandler
                {
                    UseCookies = false,
                    AllowAutoRedirect = false,
                    AutomaticDecompression = DecompressionMethods.All,
                    ConnectTimeout = TimeSpan.FromSeconds(15),
                    PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                },
                services.GetRequiredService<IOptions<NotionOptions>>().Value.AllowPrivateAddresses));
        builder.Services.AddTransient<NotionConnections>();
        builder.Services.AddTransient<NotionDesiredState>();
        builder.Services.AddTransient<NotionSync>();
        builder.Services.AddTransient<NotionSyncJob>();
        if (builder.Configuration.GetValue(NotionOptions.Section + ":" + nameof(NotionOptions.SyncAfterChanges), defaultValue: true))
        {
            builder.Services.AddHostedService<NotionChangeListener>();
        }

        return builder;
    }
}
