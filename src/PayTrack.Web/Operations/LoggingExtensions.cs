using Serilog;
using Serilog.Settings.Configuration;

namespace PayTrack.Web.Operations;

public static class LoggingExtensions
{
    /// <summary>Serilog to the console, configured from the "Serilog" section. Commands log warnings only, so their own output stays readable.</summary>
    public static WebApplicationBuilder AddLogging(this WebApplicationBuilder builder, bool quiet)
    {
        builder.Logging.ClearProviders();
        builder.Logging.AddSerilog(CreateSerilog(builder.Configuration, quiet), dispose: true);
        return builder;
    }

    /// <summary>A logger for work done before the host exists: the embedded database starts before it is built.</summary>
    public static ILoggerFactory BootstrapLoggerFactory(this WebApplicationBuilder builder, bool quiet) =>
        LoggerFactory.Create(b => b.AddSerilog(CreateSerilog(builder.Configuration, quiet), dispose: true));

    private static Serilog.Core.Logger CreateSerilog(ConfigurationManager configuration, bool quiet)
    {
        var logger = new LoggerConfiguration()
            .ReadFrom.Configuration(configuration, new ConfigurationReaderOptions(typeof(ConsoleLoggerConfigurationExtensions).Assembly));
        if (!configuration.GetSection("Serilog:WriteTo").Exists())
        {
            logger.WriteTo.Console(formatProvider: System.Globalization.CultureInfo.InvariantCulture);
        }

        if (quiet)
        {
            logger.MinimumLevel.Warning();
        }

        return logger.CreateLogger();
    }
}
