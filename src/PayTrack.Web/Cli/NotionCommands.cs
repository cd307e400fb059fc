using System.CommandLine;
using PayTrack.Web.Data;
using PayTrack.Web.Notion;
using Spectre.Console;

namespace PayTrack.Web.Cli;

/// <summary>
/// <c>notion connect|disconnect|sync</c>: link a user's Notion workspace (the integration token is read from standard
/// input), forget it, or push what changed now, in the foreground, with progress.
/// </summary>
internal static class NotionCommands
{
    public static Command Create(WebApplication app) => new("notion", "Keep a user's Notion databases of shifts and weeks current.")
    {
        Connect(app),
        Disconnect(app),
        Sync(app),
    };

    private static Option<string> UserOption() => new("--user") { Description = "The PayTrack account's e-mail address.", Required = true };

    private static Command Connect(WebApplication app)
    {
        var parent = new Option<string>("--parent") { Description = "The Notion page shared with the integration (its id or its link).", Required = true };
        var baseUrl = new Option<string?>("--base-url") { Description = "The Notion API's root; https://api.notion.com by default (another for the simulator)." };
        return HostCommands.ForUser(app, "connect", "Connect a user's Notion workspace: the internal integration token is read from standard input. Creates (or finds) the databases \"PayTrack shifts\" and \"PayTrack weeks\" under the page.", async (parse, scope, account, cancellationToken) =>
        {
            var token = await ReadTokenAsync();
            if (string.IsNullOrWhiteSpace(token))
            {
                await Console.Error.WriteLineAsync("No integration token was given on standard input; nothing was saved.");
                return 1;
            }

            var outcome = await scope.ServiceProvider.GetRequiredService<NotionConnections>().ConnectAsync(
                account.Id, new NotionConnectionInput(token, parse.GetValue(parent)!, parse.GetValue(baseUrl)), cancellationToken);
            if (!outcome.Succeeded)
            {
                await Console.Error.WriteLineAsync("Not connected: " + outcome.Message);
                return 1;
            }

            Console.WriteLine(outcome.Message);
            Console.WriteLine($"To push the shifts and weeks now: dotnet PayTrack.Web.dll notion sync --user {account.Email}");
            return 0;
        }, parent, baseUrl);
    }

    private static Command Disconnect(WebApplication app) =>
        HostCommands.ForUser(app, "disconnect", "Forget a user's Notion token; the pages already written stay in Notion.", async (_, scope, account, cancellationToken) =>
        {
            var removed = await scope.ServiceProvider.GetRequiredService<NotionConnections>().DisconnectAsync(account.Id, cancellationToken);
            Console.WriteLine(removed.Succeeded ? $"Disconnected Notion from {account.Email}; the token is deleted." : $"{account.Email} had no Notion connection.");
            return 0;
        });

    private static Command Sync(WebApplication app) =>
        HostCommands.ForUser(app, "sync", "Push what changed in a user's shifts and weeks to Notion now, with progress.", async (_, scope, account, cancellationToken) =>
        {
            var sync = scope.ServiceProvider.GetRequiredService<NotionSync>();
            Outcome<NotionSyncCounts>? result = null;
            try
            {
                await HostCommands.ProgressBarAsync($"Notion sync of {Markup.Escape(account.Email ?? "")}", async bar =>
                {
                    result = await sync.RunAsync(account.Id, new Progress<NotionSyncProgress>(p =>
                    {
                        bar.MaxValue = Math.Max(1, p.Total);
                        bar.Value = p.Done;
                    }), cancellationToken);
                    bar.Value = bar.MaxValue;
                });
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                Console.WriteLine("Stopped. What was written is recorded; the next sync carries on from there.");
                return 130;
            }

            if (!result!.Succeeded)
            {
                await Console.Error.WriteLineAsync(result.Message);
                return 1;
            }

            Console.WriteLine(result.Message);
            return 0;
        });

    private static async Task<string?> ReadTokenAsync()
    {
        if (!Console.IsInputRedirected && AnsiConsole.Profile.Capabilities.Interactive)
        {
            return AnsiConsole.Prompt(new TextPrompt<string>("Notion integration token:").Secret());
        }

        return (await Console.In.ReadLineAsync())?.Trim();
    }
}
