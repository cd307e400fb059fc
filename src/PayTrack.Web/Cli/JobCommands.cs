using System.CommandLine;
using System.Globalization;
using Microsoft.AspNetCore.Identity;
using PayTrack.Web.Dashboard;
using PayTrack.Web.Connections;
using PayTrack.Web.Data;
using PayTrack.Web.Jobs;
using PayTrack.Web.Kronos;
using PayTrack.Web.Timecards;
using Spectre.Console;

namespace PayTrack.Web.Cli;

/// <summary>
/// The jobs' verbs: <c>connect</c> saves a user's Kronos connection after testing it, <c>catchup</c> runs a user's
/// full-history sync in the foreground, <c>update-punches</c> queues the daily update now for the servers to run.
/// </summary>
internal static class JobCommands
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

            var problem = await services.GetRequiredService<KronosConnections>().SaveAsync(
                account.Id, new KronosConnectionInput(settings.BaseUrl, settings.Username, password, settings.TimeZone), cancellationToken);
            if (problem is not null)
            {
                await Console.Error.WriteLineAsync("Not saved: " + problem);
                return 1;
            }

            var queued = await services.GetRequiredService<JobRequests>().RequestCatchupAsync(account.Id, JobTrigger.Command, null, dispatch: false, cancellationToken);
            Console.WriteLine(check.Message);
            Console.WriteLine($"Saved the Kronos connection of {account.Email}. {queued.Message}");
            Console.WriteLine($"To run it here instead, with a progress bar: dotnet PayTrack.Web.dll catchup --user {account.Email}");
            return 0;
        });
        return command;
    }

    private static Command Catchup(WebApplication app)
    {
        var user = new Option<string>("--user") { Description = "The PayTrack account's e-mail address.", Required = true };
        var command = new Command("catchup", "Read a user's whole Kronos history now, in the foreground, with a progress bar. Resumes a sync that stopped.")
        {
            user,
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

            var request = await services.GetRequiredService<JobRequests>().RequestCatchupAsync(account.Id, JobTrigger.Command, null, dispatch: false, cancellationToken);
            if (request.RunId is not { } runId)
            {
                await Console.Error.WriteLineAsync(request.Message);
                return 1;
            }

            RunSnapshot? last = null;
            var outcome = CatchupOutcome.NotClaimed;
            try
            {
                await AnsiConsole.Progress()
                    .AutoClear(false)
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                    .StartAsync(async progress =>
                    {
                        var bar = progress.AddTask($"Catchup of {account.Email}", maxValue: 1);
                        outcome = await services.GetRequiredService<CatchupService>().RunAsync(runId, snapshot =>
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
                Console.WriteLine("Stopped. The sync resumes from its last stored chunk when run again, or on a PayTrack server.");
                return 130;
            }

            return await ReportAsync(outcome, last, services.GetRequiredService<JobRuns>(), runId, cancellationToken);
        });
        return command;
    }

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
            var sweepId = await services.GetRequiredService<UpdatePunchesService>().StartSweepAsync(JobTrigger.Command, null, null, cancellationToken);
            var runs = services.GetRequiredService<JobRuns>();
            var snapshot = await runs.SnapshotAsync(sweepId, cancellationToken);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Update-punches run {sweepId} queued {snapshot?.StepsTotal ?? 0} users."));
            if (!parse.GetValue(wait))
            {
                return 0;
            }

            while (snapshot is { Status: JobStatus.Running })
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
                await runs.TryFinishSweepAsync(sweepId, cancellationToken);
                snapshot = await runs.SnapshotAsync(sweepId, cancellationToken);
            }

            Console.WriteLine(snapshot is null ? "The run was deleted." : Describe(snapshot));
            return snapshot is { Status: JobStatus.Succeeded } ? 0 : 1;
        });
        return command;
    }

    private static async Task<int> ReportAsync(CatchupOutcome outcome, RunSnapshot? last, JobRuns runs, long runId, CancellationToken cancellationToken)
    {
        var final = await runs.SnapshotAsync(runId, cancellationToken) ?? last;
        switch (outcome)
        {
            case CatchupOutcome.Succeeded:
                Console.WriteLine(final is null ? "Catchup finished." : "Catchup finished. " + Describe(final));
                return 0;
            case CatchupOutcome.RetryLater:
                await Console.Error.WriteLineAsync($"Kronos is failing for now: {last?.Error}");
                await Console.Error.WriteLineAsync("The sync is queued and resumes from its last stored chunk on a PayTrack server, or when this command runs again.");
                return 1;
            case CatchupOutcome.NotClaimed:
                await Console.Error.WriteLineAsync("A full-history sync is already running for this account on a PayTrack server"
                    + (final is { StepsTotal: > 0 } ? string.Create(CultureInfo.InvariantCulture, $" ({final.StepsDone} of {final.StepsTotal} chunks done)") : "")
                    + ". It was not started twice.");
                return 1;
            default:
                await Console.Error.WriteLineAsync("Catchup failed: " + (final?.Error ?? "no reason was recorded."));
                return 1;
        }
    }

    private static string Describe(RunSnapshot run) => JobText.Progress(JobEvent.From(run));

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
