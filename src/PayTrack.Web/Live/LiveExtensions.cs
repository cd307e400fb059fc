namespace PayTrack.Web.Live;

public static class LiveExtensions
{
    public static WebApplicationBuilder AddLive(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<LiveOptions>().BindConfiguration(LiveOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<LiveBroker>();
        builder.Services.AddSingleton<LiveConnectionLimits>();
        builder.Services.AddSingleton<PostgresLiveNotifier>();
        builder.Services.AddSingleton<ILiveNotifier>(sp => sp.GetRequiredService<PostgresLiveNotifier>());
        builder.Services.AddHostedService(sp => sp.GetRequiredService<PostgresLiveNotifier>());
        return builder;
    }

    /// <summary>After authentication: bounds the live pages' connections per user and per process.</summary>
    public static WebApplication UseLive(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var limits = app.Services.GetRequiredService<LiveConnectionLimits>();
        app.Use((context, next) => limits.InvokeAsync(context, next));
        return app;
    }
}
