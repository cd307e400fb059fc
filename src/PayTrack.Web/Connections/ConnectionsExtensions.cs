namespace PayTrack.Web.Connections;

public static class ConnectionsExtensions
{
    /// <summary>A user's Kronos connection has one owner: storing it, testing it, and recording what a sync learnt about it.</summary>
    public static WebApplicationBuilder AddConnections(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddScoped<KronosConnections>();
        builder.Services.AddTransient<KronosConnectionTester>();
        builder.Services.AddSingleton<ConnectionOutcomes>();
        builder.Services.AddSingleton<ConnectionTestThrottle>();
        return builder;
    }
}
