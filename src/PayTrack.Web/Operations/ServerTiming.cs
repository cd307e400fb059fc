using System.Diagnostics;
using System.Globalization;

namespace PayTrack.Web.Operations;

/// <summary>Bound from <c>PayTrack:Diagnostics</c>.</summary>
public sealed class DiagnosticsOptions
{
    public const string Section = "PayTrack:Diagnostics";

    /// <summary>
    /// Adds a <c>Server-Timing</c> header (<c>app</c>: time to the first byte of the answer; <c>db</c>: the page's
    /// queries; <c>pay</c>: computing pay from them) to every response, for the benchmark and for browser developer tools. Off by default: timings tell an
    /// outsider a little about the server.
    /// </summary>
    public bool ServerTiming { get; set; }
}

/// <summary>Per-request timings a page adds to (its database time), written out when the answer starts.</summary>
public sealed class ServerTimings
{
    private readonly long _started = Stopwatch.GetTimestamp();

    public TimeSpan? Database { get; private set; }

    public TimeSpan? Pay { get; private set; }

    public void AddDatabase(TimeSpan time) => Database = (Database ?? TimeSpan.Zero) + time;

    public void AddPay(TimeSpan time) => Pay = (Pay ?? TimeSpan.Zero) + time;

    internal string Header()
    {
        var app = Stopwatch.GetElapsedTime(_started).TotalMilliseconds;
        var header = string.Create(CultureInfo.InvariantCulture, $"app;dur={app:0.###}");
        if (Database is { } db)
        {
            header += string.Create(CultureInfo.InvariantCulture, $", db;dur={db.TotalMilliseconds:0.###}");
        }

        if (Pay is { } pay)
        {
            header += string.Create(CultureInfo.InvariantCulture, $", pay;dur={pay.TotalMilliseconds:0.###}");
        }

        return header;
    }
}

public static class ServerTimingExtensions
{
    /// <summary>Records the database time of a page on the request, when Server-Timing is on.</summary>
    public static void RecordDatabaseTime(this HttpContext? context, TimeSpan time) =>
        context?.Features.Get<ServerTimings>()?.AddDatabase(time);

    /// <summary>Records the time a page spent computing pay from what it read.</summary>
    public static void RecordPayTime(this HttpContext? context, TimeSpan time) =>
        context?.Features.Get<ServerTimings>()?.AddPay(time);

    /// <summary>First in the pipeline, so "app" covers everything the server does before it answers.</summary>
    public static WebApplication UseServerTiming(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.Configuration.GetSection(DiagnosticsOptions.Section).Get<DiagnosticsOptions>()?.ServerTiming != true)
        {
            return app;
        }

        app.Use(static (context, next) =>
        {
            var timings = new ServerTimings();
            context.Features.Set(timings);
            context.Response.OnStarting(static state =>
            {
                var (ctx, t) = ((HttpContext, ServerTimings))state;
                ctx.Response.Headers["Server-Timing"] = t.Header();
                return Task.CompletedTask;
            }, (context, timings));
            return next(context);
        });
        return app;
    }
}
