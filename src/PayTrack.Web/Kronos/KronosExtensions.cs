using System.Net;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;

namespace PayTrack.Web.Kronos;

public static class KronosExtensions
{
    public static WebApplicationBuilder AddKronos(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddKronosClient();
        return builder;
    }

    /// <summary>
    /// <see cref="KronosClient"/>, its options (PayTrack:Kronos) and its named HttpClient: the resilience handler (one
    /// pipeline per site), then the per-account session handler, then a pooled primary handler with cookies off and the
    /// <see cref="OutboundGuard"/> on.
    /// </summary>
    public static IServiceCollection AddKronosClient(this IServiceCollection services)
    {
        services.AddOptions<KronosOptions>()
            .BindConfiguration(KronosOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => o.RetryMaxDelay >= o.RetryBaseDelay, "PayTrack:Kronos:RetryMaxDelay must not be below RetryBaseDelay.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<KronosClient>();
        services.AddSingleton<KronosWaits>();
        services.AddTransient<KronosSessionHandler>();
        services.AddHttpClient(KronosClient.HttpClientName, http => http.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(static services => OutboundGuard.Apply(
                new SocketsHttpHandler
                {
                    // The pooled handler serves every account: cookies live in each account's KronosSession instead.
                    UseCookies = false,
                    AutomaticDecompression = DecompressionMethods.All,
                    ConnectTimeout = TimeSpan.FromSeconds(15),
                    PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                },
                services.GetRequiredService<IOptions<KronosOptions>>().Value.AllowPrivateAddresses))
            .AddResilienceHandler(KronosResilience.PipelineName, static (pipeline, context) => KronosResilience.Configure(
                pipeline,
                context.ServiceProvider.GetRequiredService<IOptions<KronosOptions>>().Value,
                context.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(KronosResilience).FullName!)))
            .SelectPipelineByAuthority();
        services.AddHttpClient(KronosClient.HttpClientName).AddHttpMessageHandler<KronosSessionHandler>();
        return services;
    }
}
