using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using PayTrack.KronosSimulator.Api;
using PayTrack.KronosSimulator.Data;
using PayTrack.KronosSimulator.Notion;
using PayTrack.KronosSimulator.Site;

namespace PayTrack.KronosSimulator;

/// <summary>Builds the simulator host; <see cref="SimulatorProgram"/> runs it, tests and benchmarks start it in their own process.</summary>
public static class SimulatorApp
{
    /// <param name="args">Command-line arguments, e.g. --urls http://127.0.0.1:0.</param>
    /// <param name="configure">Runs last, so a test can add settings or replace the TimeProvider.</param>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddSimulator();
        configure?.Invoke(builder);
        var app = builder.Build();
        app.MapSimulator();
        return app;
    }

    public static WebApplicationBuilder AddSimulator(this WebApplicationBuilder builder)
    {
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Services.AddOptions<SimulatorOptions>()
            .BindConfiguration(SimulatorOptions.Section)
            .ValidateDataAnnotations()
            .Validate(FaultsAreValid, "Simulator:Faults or Simulator:AccountFaults has a value out of range.")
            .ValidateOnStart();
        builder.Services.TryAddSingleton(static services =>
            services.GetRequiredService<IOptions<SimulatorOptions>>().Value.Today is { } today
                ? SimulatedClock.StartingOn(today, TimeProvider.System)
                : TimeProvider.System);
        builder.Services.AddSingleton<AccountDirectory>();
        builder.Services.AddSingleton<PunchGenerator>();
        builder.Services.AddSingleton<SessionStore>();
        builder.Services.AddSingleton<SimulatorStats>();
        builder.Services.AddSingleton<FaultInjector>();
        builder.Services.AddSingleton<SiteServices>();
        builder.AddNotionSimulator();
        return builder;
    }

    public static WebApplication MapSimulator(this WebApplication app)
    {
        app.MapGet("/", () => "PayTrack's Kronos simulator: the campus timecard API is under /api (see README.md).");
        app.MapKronosApi();
        app.MapNotionApi(app.Services.GetRequiredService<IOptions<SimulatorOptions>>().Value.ExposeTestEndpoints);
        if (app.Services.GetRequiredService<IOptions<SimulatorOptions>>().Value.ExposeTestEndpoints)
        {
            app.MapTestEndpoints();
        }

        return app;
    }

    private static bool FaultsAreValid(SimulatorOptions options) =>
        options.AccountFaults.Values.Prepend(options.Faults)
            .All(faults => Validator.TryValidateObject(faults, new ValidationContext(faults), null, validateAllProperties: true));
}

/// <summary>The simulated site's clock when Simulator:Today is set: that date at start, running on in real time.</summary>
internal sealed class SimulatedClock(TimeProvider inner, TimeSpan offset) : TimeProvider
{
    public static SimulatedClock StartingOn(DateOnly today, TimeProvider inner) =>
        new(inner, TimeSpan.FromDays(today.DayNumber - DateOnly.FromDateTime(inner.GetUtcNow().UtcDateTime).DayNumber));

    public override DateTimeOffset GetUtcNow() => inner.GetUtcNow() + offset;
}
