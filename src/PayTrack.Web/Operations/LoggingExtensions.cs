using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Claims;
using System.Text.RegularExpressions;
using Serilog;
using Serilog.Events;
using Serilog.Settings.Configuration;

namespace PayTrack.Web.Operations;

/// <summary>
/// Serilog through Serilog.AspNetCore, configured from the "Serilog" section (appsettings.json, environment
/// variables such as Serilog__MinimumLevel__Default). One line per request: method, path (never the query string,
/// and a path segment that looks like a token is masked), status, time and the user's id.
/// </summary>
public static partial class LoggingExtensions
{
    public const string RequestTemplate = "HTTP {RequestMethod} {RequestPath} answered {StatusCode} in {Elapsed:0.0} ms for {UserId}";

    /// <summary>Commands (<paramref name="quiet"/>) log warnings only, so their own output stays readable.</summary>
    public static WebApplicationBuilder AddLogging(this WebApplicationBuilder builder, bool quiet)
    {
        // Serilog writes the console itself; other providers (a test's log capture) still receive every event.
        // The static Log.Logger is left alone: each host keeps its own logger, so two hosts in one process (as in
        // the tests) never write into each other's sinks, and disposing one never closes the other's.
        builder.Logging.ClearProviders();
        builder.Services.AddSerilog((_, logger) => Configure(logger, builder.Configuration, quiet), preserveStaticLogger: true, writeToProviders: true);
        OneLoggerPerCategory(builder.Services);
        return builder;
    }

    /// <summary>
    /// Serilog's logger factory makes a new logger, with its own event-id cache, on every CreateLogger. Blazor asks for
    /// about twenty in every circuit and the authentication handlers for some in every request: measured with
    /// bench/dashboard, 18 loggers and 11 KB per open page. One logger per category is all they need.
    /// </summary>
    private static void OneLoggerPerCategory(IServiceCollection services)
    {
        var serilog = services.Last(d => d.ServiceType == typeof(ILoggerFactory));
        services.Remove(serilog);
        services.AddSingleton<ILoggerFactory>(sp => new CategoryCachingLoggerFactory(serilog.ImplementationFactory is { } create
            ? (ILoggerFactory)create(sp)
            : (ILoggerFactory?)serilog.ImplementationInstance ?? (ILoggerFactory)ActivatorUtilities.CreateInstance(sp, serilog.ImplementationType!)));
    }

    private sealed class CategoryCachingLoggerFactory(ILoggerFactory inner) : ILoggerFactory
    {
        private readonly ConcurrentDictionary<string, Microsoft.Extensions.Logging.ILogger> _loggers = new(StringComparer.Ordinal);

        public Microsoft.Extensions.Logging.ILogger CreateLogger(string categoryName) => _loggers.GetOrAdd(categoryName, inner.CreateLogger);

        public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

        public void Dispose() => inner.Dispose();
    }

    /// <summary>A logger for work done before the host exists: the embedded database starts before it is built.</summary>
    public static ILoggerFactory BootstrapLoggerFactory(this WebApplicationBuilder builder, bool quiet) =>
        LoggerFactory.Create(b => b.AddSerilog(Configure(new LoggerConfiguration(), builder.Configuration, quiet).CreateLogger(), dispose: true));

    /// <summary>Serilog's request logging: one event per request, after the answer, with the user's id.</summary>
    public static IApplicationBuilder UseRequestLogging(this IApplicationBuilder app) =>
        app.UseSerilogRequestLogging(o =>
        {
            // This host's own logger (the static one is left alone; see AddLogging).
            o.Logger = app.ApplicationServices.GetRequiredService<Serilog.ILogger>();
            o.MessageTemplate = RequestTemplate;
            o.GetLevel = LevelOf;
            o.IncludeQueryInRequestPath = false;
            o.EnrichDiagnosticContext = (diagnostics, context) =>
            {
                diagnostics.Set("RequestPath", MaskedPath(context.Request.Path.Value));
                diagnostics.Set("UserId", context.User.FindFirstValue(ClaimTypes.NameIdentifier) is { } id ? "user " + id : "a visitor");
            };
        });

    /// <summary>A request path fit for a log: segments that look like tokens or keys become "***".</summary>
    public static string MaskedPath(string? path) =>
        string.IsNullOrEmpty(path) ? "/" : TokenLikeSegment().Replace(path, "/***");

    private static LoggerConfiguration Configure(LoggerConfiguration logger, ConfigurationManager configuration, bool quiet)
    {
        logger.ReadFrom.Configuration(configuration, new ConfigurationReaderOptions(typeof(ConsoleLoggerConfigurationExtensions).Assembly));
        if (!configuration.GetSection("Serilog:WriteTo").Exists())
        {
            logger.WriteTo.Console(formatProvider: CultureInfo.InvariantCulture);
        }

        if (quiet)
        {
            logger.MinimumLevel.Warning();
        }

        // A start that fails on a setting is said in one sentence (Program.cs); the host's own report of it, with its
        // stack trace, is not logged as well.
        logger.Filter.ByExcluding(e => e.Exception is not null && SettingsProblems.Describe(e.Exception) is not null);
        return logger;
    }

    // Static files, the framework's scripts and health probes are routine: Debug. Server errors: Error.
    private static LogEventLevel LevelOf(HttpContext context, double elapsedMs, Exception? error)
    {
        if (error is not null || context.Response.StatusCode >= 500)
        {
            return LogEventLevel.Error;
        }

        var path = context.Request.Path;
        return path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase)
            || path.StartsWithSegments("/_framework", StringComparison.OrdinalIgnoreCase)
            || path.StartsWithSegments("/_content", StringComparison.OrdinalIgnoreCase)
            || path.StartsWithSegments("/_blazor", StringComparison.OrdinalIgnoreCase)
            || path.StartsWithSegments("/lib", StringComparison.OrdinalIgnoreCase)
            || path.StartsWithSegments("/css", StringComparison.OrdinalIgnoreCase)
            || path.StartsWithSegments("/js", StringComparison.OrdinalIgnoreCase)
            || path.StartsWithSegments("/favicon.svg", StringComparison.OrdinalIgnoreCase)
            ? LogEventLevel.Debug
            : LogEventLevel.Information;
    }

    // A segment of 20+ URL-safe characters mixing letters and digits (a feed token, a key): not a word or a date.
    [GeneratedRegex(@"/(?=[^/]*[0-9])(?=[^/]*[A-Za-z])[A-Za-z0-9_\-~]{20,}(?=/|$|\.)", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex TokenLikeSegment();
}
