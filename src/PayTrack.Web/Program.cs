using PayTrack.Web;
using PayTrack.Web.Api;
using PayTrack.Web.CalendarFeed;
using PayTrack.Web.Cli;
using PayTrack.Web.Components;
using PayTrack.Web.Components.Account;
using PayTrack.Web.Connections;
using PayTrack.Web.Dashboard;
using PayTrack.Web.Data;
using PayTrack.Web.Sync;
using PayTrack.Web.Live;
using PayTrack.Web.Notion;
using PayTrack.Web.Kronos;
using PayTrack.Web.Operations;
using PayTrack.Web.Pay;
using PayTrack.Web.Timecards;

// A setting PayTrack cannot use, or a database it cannot reach, stops it with one sentence, never a stack trace.
try
{
    var isCommand = HostCommands.IsCommand(args);
    var builder = WebApplication.CreateBuilder(new WebApplicationOptions
    {
        Args = isCommand ? [] : args,
        ContentRootPath = ContentRoot.Find(),
    });

    builder.AddLogging(quiet: isCommand);
    builder.AddOperations();
    await using var database = await builder.AddDatabaseAsync(() => builder.BootstrapLoggerFactory(isCommand));
    builder.AddAccounts();
    builder.AddPay();
    builder.AddLive();
    builder.AddKronos();
    builder.AddConnections();
    builder.AddPages();
    builder.AddTimecards();
    builder.AddSync();
    builder.AddDashboard();
    builder.AddApi();
    builder.AddNotion();
    builder.AddCalendarFeed();

    var app = builder.Build();
    SettingsProblems.CheckAll(app.Services);
    await DatabaseReadiness.WaitAsync(app.Services, CancellationToken.None);

    if (isCommand)
    {
        return await HostCommands.RunAsync(app, args);
    }

    app.UseServerTiming();
    app.UseRequestLogging();
    app.UseOperations();
    app.MapHealth();
    app.MapAccounts();
    app.UseLive();
    app.MapPages();
    app.MapTimecards();
    app.MapSync();
    app.MapApi();
    app.MapCalendarFeed();

    await app.RunAsync();
    return 0;
}
catch (Exception ex) when (SettingsProblems.Describe(ex) is { } problem)
{
    await Console.Error.WriteLineAsync(problem);
    return SettingsProblems.ExitCode;
}
catch (DatabaseUnavailableException ex)
{
    await Console.Error.WriteLineAsync(ex.Message);
    return SettingsProblems.ExitCode;
}
