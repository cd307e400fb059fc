using PayTrack.Web.Cli;
using PayTrack.Web.Components;
using PayTrack.Web.Components.Account;
using PayTrack.Web.Data;
using PayTrack.Web.Kronos;
using PayTrack.Web.Operations;

var isCommand = HostCommands.IsCommand(args);
var builder = WebApplication.CreateBuilder(isCommand ? [] : args);

builder.AddLogging(quiet: isCommand);
builder.AddOperations();
await using var database = await builder.AddDatabaseAsync();
builder.AddAccounts();
builder.AddKronos();
builder.AddPages();

var app = builder.Build();

if (isCommand)
{
    return await HostCommands.RunAsync(app, args);
}

app.UseOperations();
app.MapHealth();
app.MapAccounts();
app.MapPages();

await app.RunAsync();
return 0;

