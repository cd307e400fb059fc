using System.CommandLine;
using System.Globalization;
using Microsoft.AspNetCore.Identity;
using PayTrack.Web.Components.Account;
using PayTrack.Web.Data;
using Spectre.Console;

namespace PayTrack.Web.Cli;

/// <summary>
/// Verbs of the host for operators: <c>dotnet PayTrack.Web.dll users add ...</c>. With no verb the web server starts.
/// Each verb runs on the same services and database as the web server, then exits.
/// </summary>
public static class HostCommands
{
    private static readonly HashSet<string> Verbs = new(StringComparer.Ordinal) { "users", "connect", "catchup", "update-punches", "import", "export", "seed-data", "report", "terms", "pay", "calendar-url", "notion" };

    public static bool IsCommand(string[] args) => args.Length > 0 && Verbs.Contains(args[0]);

    public static async Task<int> RunAsync(WebApplication app, string[] args)
    {
        var root = new RootCommand("PayTrack: run with no verb to start the web server.");
        root.Subcommands.Add(UsersCommand(app));
        root.Subcommands.Add(TimecardCommands.Import(app));
        root.Subcommands.Add(TimecardCommands.Export(app));
        root.Subcommands.Add(TimecardCommands.SeedData());
        foreach (var command in SyncCommands.All(app))
        {
            root.Subcommands.Add(command);
        }
        root.Subcommands.Add(ReportCommand.Create(app));
        root.Subcommands.Add(NotionCommands.Create(app));
        foreach (var command in StudentPayCommands.All(app))
        {
            root.Subcommands.Add(command);
        }

        return await root.Parse(args).InvokeAsync();
    }

    private static Command UsersCommand(WebApplication app)
    {
        var email = new Option<string>("--email") { Description = "The account's e-mail address (its user name).", Required = true };
        var password = new Option<string>("--password") { Description = "The account's password.", Required = true };
        var admin = new Option<bool>("--admin") { Description = "Give the account the Admin role." };

        var add = new Command("add", "Create an account that can sign in at once.") { email, password, admin };
        add.SetAction(async (parse, cancellationToken) =>
        {
            await using var scope = await OpenAsync(app, cancellationToken);
            var result = await scope.ServiceProvider.GetRequiredService<UserAdministration>()
                .CreateAsync(parse.GetValue(email)!, parse.GetValue(password)!, parse.GetValue(admin), cancellationToken);
            if (!result.Succeeded)
            {
                await Console.Error.WriteLineAsync("Not created: " + result.Message);
                return 1;
            }

            Console.WriteLine(parse.GetValue(admin) ? $"Created admin {parse.GetValue(email)}." : $"Created user {parse.GetValue(email)}.");
            return 0;
        });

        var list = new Command("list", "List every account.");
        list.SetAction(async (_, cancellationToken) =>
        {
            await using var scope = await OpenAsync(app, cancellationToken);
            var users = await scope.ServiceProvider.GetRequiredService<UserAdministration>().ListAsync(cancellationToken);
            Console.WriteLine($"{"E-MAIL",-40} {"ROLE",-6} {"CREATED",-10} STATE");
            foreach (var user in users)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{user.Email,-40} {(user.IsAdmin ? "admin" : "user"),-6} {user.CreatedAt:yyyy-MM-dd} {(user.LockedOut ? "locked" : "active")}"));
            }

            return 0;
        });

        return new Command("users", "Manage PayTrack accounts.") { add, list };
    }

    /// <summary>
    /// A verb about one account: <c>--user EMAIL</c> plus <paramref name="options"/>. <paramref name="action"/> runs on
    /// the verb's scope once the account is found; an unknown e-mail is said in words and exits with 1.
    /// </summary>
    internal static Command ForUser(WebApplication app, string name, string description, Func<ParseResult, AsyncServiceScope, AppUser, CancellationToken, Task<int>> action, params Option[] options)
    {
        var user = new Option<string>("--user") { Description = "The PayTrack account's e-mail address.", Required = true };
        var command = new Command(name, description) { user };
        foreach (var option in options)
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var scope = await OpenAsync(app, cancellationToken);
            var email = parse.GetValue(user)!;
            var account = await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByEmailAsync(email);
            if (account is null)
            {
                await Console.Error.WriteLineAsync($"No PayTrack account has the e-mail {email}.");
                return 1;
            }

            return await action(parse, scope, account, cancellationToken);
        });
        return command;
    }

    /// <summary>Runs <paramref name="work"/> with one progress bar (0 of 1 until the work says more) that stays on screen.</summary>
    internal static Task ProgressBarAsync(string description, Func<ProgressTask, Task> work) =>
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(progress => work(progress.AddTask(description, maxValue: 1)));

    /// <summary>Brings the database schema up to date, then gives the verb a scope of services.</summary>
    internal static async Task<AsyncServiceScope> OpenAsync(WebApplication app, CancellationToken cancellationToken)
    {
        await app.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(cancellationToken);
        return app.Services.CreateAsyncScope();
    }
}
