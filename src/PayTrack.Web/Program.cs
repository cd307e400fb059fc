using PayTrack.Web.Cli;
using PayTrack.Web.Components;
using PayTrack.Web.Components.Account;
using PayTrack.Web.Data;
using PayTrack.Web.Operations;
using PayTrack.Web.Timecards;

var isCommand = HostCommands.IsCommand(args);
var builder = WebApplication.CreateBuilder(isCommand ? [] : args);

builder.AddLogging(quiet: isCommand);
builder.AddOperations();
await using var database = await builder.AddDatabaseAsync();
builder.AddAccounts();
builder.AddPages();
builder.AddTimecards();

var app = builder.Build();

if (isCommand)
{
    return await HostCommands.RunAsync(app, args);
}

app.UseOperations();
app.MapHealth();
app.MapAccounts();
app.MapPages();
app.MapTimecards();

await app.RunAsync();
return 0;

