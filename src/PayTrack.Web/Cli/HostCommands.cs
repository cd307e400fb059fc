using System.CommandLine;
using System.Globalization;
using PayTrack.Web.Components.Account;
using PayTrack.Web.Data;

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
        foreach (var command in JobCommands.All(app))
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
                await Console.Error.WriteLineAsync("Not created: " + string.Join(" ", result.Errors.Select(e => e.Description)));
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

    /// <summary>Brings the database schema up to date, then gives the verb a scope of services.</summary>
    internal static async Task<AsyncServiceScope> OpenAsync(WebApplication app, CancellationToken cancellationToken)
    {
        await app.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(cancellationToken);
        return app.Services.CreateAsyncScope();
    }
}
