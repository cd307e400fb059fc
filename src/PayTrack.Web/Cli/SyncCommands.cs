using System.CommandLine;
using System.Globalization;
using Microsoft.AspNetCore.Identity;
using PayTrack.Web.Dashboard;
using PayTrack.Web.Connections;
using PayTrack.Web.Data;
using PayTrack.Web.Sync;
using PayTrack.Web.Kronos;
using PayTrack.Web.Timecards;
using Spectre.Console;

namespace PayTrack.Web.Cli;

/// <summary>
/// The jobs' verbs: <c>connect</c> saves a user's Kronos connection after testing it, <c>catchup</c> runs a user's
/// full-history sync in the foreground (holding the same lock as the servers' Hangfire workers), <c>update-punches</c>
/// queues the daily update now for the servers' workers.
/// </summary>
internal static class SyncCommands
{
    public static IEnumerable<Command> All(WebApplication app) => [Connect(app), Catchup(app), UpdatePunches(app)];

    private static Command Connect(WebApplication app)
    {
        var user = new Option<string>("--user") { Description = "The PayTrack account's e-mail address.", Required = true };
        var baseUrl = new Option<string>("--base-url") { Description = "The Kronos API's base URL, e.g. https://timecard.example.edu/api.", Required = true };
        var username = new Option<string>("--username") { Description = "The Kronos username.", Required = true };
        var timeZone = new Option<string>("--time-zone") { Description = "IANA time zone of the time clocks, e.g. America/New_York.", Required = true };
        var command = new Command("connect", "Save a user's Kronos connection, after signing in to Kronos with it; the password is read from standard input.")
        {
            user, baseUrl, username, timeZone,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var scope = await HostCommands.OpenAsync(app, cancellationToken);
            var services = scope.ServiceProvider;
            var account = await services.GetRequiredService<UserManager<AppUser>>().FindByEmailAsync(parse.GetValue(user)!);
            if (account is null)
            {
                await Console.Error.WriteLineAsync($"No PayTrack account has the e-mail {parse.GetValue(user)}.");
                return 1;
            }

            var password = await ReadPasswordAsync();
            if (string.IsNullOrEmpty(password))
            {
                await Console.Error.WriteLineAsync("No password was given on standard input; nothing was saved.");
                return 1;
            }

            var settings = new KronosConnectionSettings
            {
                BaseUrl = parse.GetValue(baseUrl)!,
                Username = parse.GetValue(username)!,
                Password = password,
                TimeZone = parse.GetValue(timeZone)!,
            };
            // The settings page's own test: sign in and read the job list.
            var check = await services.GetRequiredService<KronosConnectionTester>().TestAsync(settings, cancellationToken);
            if (!check.Succeeded)
            {
                await Console.Error.WriteLineAsync("Not saved: " + check.Message);
                return 1;
            }

            var saved = await services.GetRequiredService<KronosConnections>().SaveAsync(
                account.Id, new KronosConnectionInput(settings.BaseUrl, settings.Username, password, settings.TimeZone), cancellationToken);
            if (!saved.Succeeded)
            {
                await Console.Error.WriteLineAsync("Not saved: " + saved.Message);
                return 1;
            }

            var queued = await services.GetRequiredService<SyncRequests>().ConnectionSavedAsync(account.Id, SyncTrigger.Command, cancellationToken);
            Console.WriteLine(check.Message);
            Console.WriteLine($"Saved the Kronos connection of {account.Email}. {queued.Message}");
            Console.WriteLine($"To run it here instead, with a progress bar: dotnet PayTrack.Web.dll catchup --user {account.Email}");
            return 0;
        });
        return command;
    }

    private static Command Catchup(WebApplication app) =>
        HostCommands.ForUser(app, "catchup", "Read a user's whole Kronos history now, in the foreground, with a progress bar. Resumes a sync that stopped.", async (_, scope, account, cancellationToken) =>
        {
            var services = scope.ServiceProvider;
            var connection = await services.GetRequiredService<KronosConnections>().FindAsync(account.Id, cancellationToken);
            if (connection is null)
            {
                await Console.Error.WriteLineAsync("There is no Kronos connection for this account yet. Save one first (connect --user ...).");
                return 1;
            }

            // Adopts a catchup that waits in the queue (its Hangfire job then finds nothing to do), or starts one; either
            // way under the user's lock, so it never runs beside a server's.
            RunSnapshot? last = null;
            CatchupResult? result = null;
            try
            {
                await HostCommands.ProgressBarAsync($"Catchup of {account.Email}", async bar =>
                {
                    result = await services.GetRequiredService<CatchupService>().RunAsync(account.Id, startIfNone: true, SyncTrigger.Command, canRetry: true, snapshot =>
                    {
                        last = snapshot;
                        bar.MaxValue = Math.Max(1, snapshot.StepsTotal);
                        bar.Value = snapshot.StepsDone;
                        bar.Description = Markup.Escape(Describe(snapshot));
                        return Task.CompletedTask;
                    }, cancellationToken);
                });
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                Console.WriteLine("Stopped. The sync resumes from the last date range it stored when run again, or on a PayTrack server.");
                return 130;
            }

            ResumeLaterOnAServer(services, account.Id, result);
            return await ReportAsync(result!, last, services.GetRequiredService<SyncRuns>(), cancellationToken);
        });

    private static Command UpdatePunches(WebApplication app)
    {
        var wait = new Option<bool>("--wait") { Description = "Wait until every user is done, showing progress." };
        var command = new Command("update-punches", "Queue the daily update of every user now; the running PayTrack servers share the work.")
        {
            wait,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var scope = await HostCommands.OpenAsync(app, cancellationToken);
            var services = scope.ServiceProvider;
            // The fan-out runs here; the servers' Hangfire workers take the users' jobs.
            var sweepId = await services.GetRequiredService<UpdatePunchesJobs>().SweepAsync(SyncTrigger.Command, null, cancellationToken);
            var runs = services.GetRequiredService<SyncRuns>();
            var snapshot = await runs.SnapshotAsync(sweepId, cancellationToken);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Update-punches run {sweepId} queued {snapshot?.StepsTotal ?? 0} users."));
            if (!parse.GetValue(wait))
            {
                return 0;
            }

            while (snapshot is { Status: SyncStatus.Running })
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
                await runs.TryFinishSweepAsync(sweepId, cancellationToken);
                snapshot = await runs.SnapshotAsync(sweepId, cancellationToken);
            }

            Console.WriteLine(snapshot is null ? "The run was deleted." : Describe(snapshot));
            return snapshot is { Status: SyncStatus.Succeeded } ? 0 : 1;
        });
        return command;
    }

    private static async Task<int> ReportAsync(CatchupResult result, RunSnapshot? last, SyncRuns runs, CancellationToken cancellationToken)
    {
        var final = result.RunId is { } runId ? await runs.SnapshotAsync(runId, cancellationToken) ?? last : last;
        switch (result.Outcome)
        {
            case CatchupOutcome.Succeeded:
                Console.WriteLine(final is null ? "Catchup finished." : "Catchup finished. " + Describe(final));
                return 0;
            case CatchupOutcome.RetryLater:
                await Console.Error.WriteLineAsync($"Kronos is failing for now: {result.Error}");
                await Console.Error.WriteLineAsync("The sync waits and resumes from the last date range it stored on a PayTrack server, or when this command runs again.");
                return 1;
            case CatchupOutcome.WaitUntil:
                await Console.Error.WriteLineAsync(result.Error + " A PayTrack server goes on with it then, from the last date range it stored.");
                return 1;
            case CatchupOutcome.AlreadyRunning:
                await Console.Error.WriteLineAsync("A full-history sync is already running for this account on a PayTrack server"
                    + (final is { StepsTotal: > 0 } ? string.Create(CultureInfo.InvariantCulture, $" ({final.StepsDone} of {final.StepsTotal} date ranges read)") : "")
                    + ". It was not started twice.");
                return 1;
            default:
                await Console.Error.WriteLineAsync("Catchup failed: " + (final?.Error ?? result.Error ?? "no reason was recorded."));
                return 1;
        }
    }

    /// <summary>Kronos failing for now: a server's workers resume the run from the last date range it stored after the first back-off.</summary>
    private static void ResumeLaterOnAServer(IServiceProvider services, string userId, CatchupResult? result)
    {
        if (result is { Outcome: CatchupOutcome.WaitUntil, RetryAt: { } at })
        {
            services.GetRequiredService<SyncRequests>().ScheduleCatchup(userId, at);
        }
        else if (result is { Outcome: CatchupOutcome.RetryLater })
        {
            var delay = TimeSpan.FromSeconds(services.GetRequiredService<Microsoft.Extensions.Options.IOptions<SyncOptions>>().Value.RetryDelays()[0]);
            services.GetRequiredService<SyncRequests>().ScheduleCatchup(userId, delay);
        }
    }

    private static string Describe(RunSnapshot run) => SyncText.Progress(SyncEvent.From(run));

    /// <summary>The first line of standard input; typed without echo when a person is at a terminal.</summary>
    private static async Task<string?> ReadPasswordAsync()
    {
        if (!Console.IsInputRedirected && AnsiConsole.Profile.Capabilities.Interactive)
        {
            return AnsiConsole.Prompt(new TextPrompt<string>("Kronos password:").Secret());
        }

        return (await Console.In.ReadLineAsync())?.TrimEnd('\r');
    }
}
