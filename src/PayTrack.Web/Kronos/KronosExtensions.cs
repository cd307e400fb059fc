using System.Net;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace PayTrack.Web.Kronos;

public static class KronosExtensions
{
    public static WebApplicationBuilder AddKronos(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddKronosClient();
        return builder;
    }

    /// <summary>The typed <see cref="KronosClient"/>, its options (PayTrack:Kronos) and its per-site resilience.</summary>
    public static IServiceCollection AddKronosClient(this IServiceCollection services)
    {
        services.AddOptions<KronosOptions>()
            .BindConfiguration(KronosOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => o.RetryMaxDelay >= o.RetryBaseDelay, "PayTrack:Kronos:RetryMaxDelay must not be below RetryBaseDelay.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<KronosResiliencePipelines>();
        services.AddTransient<KronosResilienceHandler>();
        services.AddHttpClient<KronosClient>(http => http.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(static () => new SocketsHttpHandler
            {
                // Pooled handlers serve every account: a shared cookie container would hand one account's session to
                // another. KronosSession keeps each account's cookie and sends it as a header.
                UseCookies = false,
                // A redirect is information (single sign-on, or a lapsed session), not something to follow.
                AllowAutoRedirect = false,
                AutomaticDecompression = DecompressionMethods.All,
                ConnectTimeout = TimeSpan.FromSeconds(15),
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            })
            .AddHttpMessageHandler<KronosResilienceHandler>();
        return services;
    }
}
