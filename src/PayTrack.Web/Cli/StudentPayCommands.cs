using System.CommandLine;
using System.Globalization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using PayTrack.Web.CalendarFeed;
using PayTrack.Web.Dashboard;
using PayTrack.Web.Data;
using PayTrack.Web.Operations;
using PayTrack.Web.Pay;

namespace PayTrack.Web.Cli;

/// <summary>
/// <c>terms add|list|remove</c>, <c>pay set|show</c> and <c>calendar-url</c>: the student rules' settings for
/// operators and scripts, saved exactly as the settings page saves them.
/// </summary>
internal static class StudentPayCommands
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static IEnumerable<Command> All(WebApplication app) => [Terms(app), Pay(app), CalendarUrl(app)];

    private static Option<string> UserOption() => new("--user") { Description = "The account's e-mail address.", Required = true };

    private static Command Terms(WebApplication app)
    {
        var user = UserOption();
        var name = new Option<string>("--name") { Description = "The term's name, for example \"Fall 2025\".", Required = true };
        var first = new Option<string>("--first") { Description = "The term's first day, YYYY-MM-DD.", Required = true };
        var last = new Option<string>("--last") { Description = "The term's last day, YYYY-MM-DD.", Required = true };
        var add = new Command("add", "Add a term; the days between terms are breaks.") { user, name, first, last };
        add.SetAction(async (parse, cancellationToken) =>
        {
            if (!TryDate(parse.GetValue(first), "--first", out var firstDay) || !TryDate(parse.GetValue(last), "--last", out var lastDay))
            {
                return 2;
            }

            return await WithUserAsync(app, parse.GetValue(user)!, async (services, account) =>
            {
                var added = await services.GetRequiredService<StudentPayStore>().AddTermAsync(account.Id, parse.GetValue(name), firstDay, lastDay, cancellationToken);
                if (!added.Succeeded)
                {
                    await Console.Error.WriteLineAsync(added.Message);
                    return 2;
                }

                var term = added.Value!;

                Console.WriteLine(string.Create(Invariant, $"Added term {term.Id}: {term.Name}, {term.FirstDay:yyyy-MM-dd} to {term.LastDay:yyyy-MM-dd}."));
                return 0;
            }, cancellationToken);
        });

        var listUser = UserOption();
        var list = new Command("list", "List an account's terms.") { listUser };
        list.SetAction(async (parse, cancellationToken) => await WithUserAsync(app, parse.GetValue(listUser)!, async (services, account) =>
        {
            var terms = await services.GetRequiredService<StudentPayStore>().ListTermsAsync(account.Id, cancellationToken);
            Console.WriteLine($"{"ID",-6} {"FIRST DAY",-10} {"LAST DAY",-10} NAME");
            foreach (var term in terms)
            {
                Console.WriteLine(string.Create(Invariant, $"{term.Id,-6} {term.FirstDay:yyyy-MM-dd} {term.LastDay:yyyy-MM-dd} {term.Name}"));
            }

            return 0;
        }, cancellationToken));

        var removeUser = UserOption();
        var id = new Option<long>("--id") { Description = "The term's id, as `terms list` shows it.", Required = true };
        var remove = new Command("remove", "Remove one of an account's terms.") { removeUser, id };
        remove.SetAction(async (parse, cancellationToken) => await WithUserAsync(app, parse.GetValue(removeUser)!, async (services, account) =>
        {
            if (!(await services.GetRequiredService<StudentPayStore>().RemoveTermAsync(account.Id, parse.GetValue(id), cancellationToken)).Succeeded)
            {
                await Console.Error.WriteLineAsync(string.Create(Invariant, $"{parse.GetValue(removeUser)} has no term {parse.GetValue(id)}."));
                return 1;
            }

            Console.WriteLine(string.Create(Invariant, $"Removed term {parse.GetValue(id)}."));
            return 0;
        }, cancellationToken));

        return new Command("terms", "An account's school terms (the weekly cap and the FICA exemption follow them).") { add, list, remove };
    }

    private static Command Pay(WebApplication app)
    {
        var user = UserOption();
        var rule = new Option<string?>("--overtime-rule") { Description = "federal or california." };
        var weeklyCap = new Option<decimal?>("--weekly-cap") { Description = "Hours a week while in session; 0 turns it off." };
        var breakCap = new Option<decimal?>("--break-cap") { Description = "Hours a week in breaks; 0 turns it off." };
        var fica = new Option<bool?>("--fica-exempt") { Description = "true when the student FICA exemption applies (school employer, enrolled at least half time)." };
        var withholding = new Option<decimal?>("--withholding-percent") { Description = "Income tax withheld, percent of gross pay, for the net estimate." };
        var set = new Command("set", "Change an account's pay rules; options not given stay as they are.") { user, rule, weeklyCap, breakCap, fica, withholding };
        set.SetAction(async (parse, cancellationToken) =>
        {
            OvertimeRule? overtimeRule = null;
            if (parse.GetValue(rule) is { } ruleName)
            {
                if (!Enum.TryParse<OvertimeRule>(ruleName, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed) || int.TryParse(ruleName, Invariant, out _))
                {
                    await Console.Error.WriteLineAsync("--overtime-rule must be federal or california.");
                    return 2;
                }

                overtimeRule = parsed;
            }

            return await WithUserAsync(app, parse.GetValue(user)!, async (services, account) =>
            {
                var profile = await services.GetRequiredService<PayProfiles>().LoadAsync(Subject(account), cancellationToken);
                if (parse.GetValue(weeklyCap) is { } cap)
                {
                    var saved = await services.GetRequiredService<PaySettingsStore>().SaveAsync(account.Id, profile.Options with { WeeklyCapHours = cap }, cancellationToken);
                    if (!saved.Succeeded)
                    {
                        await Console.Error.WriteLineAsync(saved.Message);
                        return 2;
                    }
                }

                var changed = await services.GetRequiredService<StudentPayStore>().SaveSettingsAsync(account.Id, profile.Options,
                    new StudentPayChanges(overtimeRule, parse.GetValue(breakCap), parse.GetValue(fica), parse.GetValue(withholding)), cancellationToken);
                if (!changed.Succeeded)
                {
                    await Console.Error.WriteLineAsync(changed.Message);
                    return 2;
                }

                Console.WriteLine("Saved.");
                return await ShowAsync(services, account, cancellationToken);
            }, cancellationToken);
        });

        var showUser = UserOption();
        var show = new Command("show", "Print an account's pay rules.") { showUser };
        show.SetAction(async (parse, cancellationToken) =>
            await WithUserAsync(app, parse.GetValue(showUser)!, (services, account) => ShowAsync(services, account, cancellationToken), cancellationToken));
        return new Command("pay", "An account's pay rules: overtime, weekly caps, the net pay estimate.") { set, show };
    }

    private static async Task<int> ShowAsync(IServiceProvider services, AppUser account, CancellationToken cancellationToken)
    {
        var profile = await services.GetRequiredService<PayProfiles>().LoadAsync(Subject(account), cancellationToken);
        var o = profile.Options;
        Console.WriteLine(string.Create(Invariant, $"""
            overtime_rule        {(o.OvertimeRule == OvertimeRule.California ? "california" : "federal")}  ({OvertimeSources.Of(o.OvertimeRule)})
            weekly_cap           {o.WeeklyCapHours} h in session{(o.WeeklyCapHours == 0m ? " (off)" : "")}
            break_cap            {o.BreakCapHours} h in breaks{(o.BreakCapHours == 0m ? " (off)" : "")}
            fica_exempt          {(o.FicaStudentExempt ? "true" : "false")}  ({NetPay.Source})
            withholding_percent  {o.WithholdingPercent}
            terms                {profile.Terms.Terms.Count}
            {Estimates.Disclaimer}
            """));
        return 0;
    }

    private static Command CalendarUrl(WebApplication app)
    {
        var user = UserOption();
        var command = new Command("calendar-url", "Make a new private calendar URL for an account (the old one stops working) and print it once.") { user };
        command.SetAction(async (parse, cancellationToken) => await WithUserAsync(app, parse.GetValue(user)!, async (services, account) =>
        {
            var token = await services.GetRequiredService<CalendarFeeds>().CreateAsync(account.Id, cancellationToken);
            var site = services.GetRequiredService<IOptions<CalendarFeedOptions>>().Value.PublicUrl.TrimEnd('/');
            Console.WriteLine(site + CalendarFeeds.PathOf(token));
            await Console.Error.WriteLineAsync("Keep this address private: anyone who has it can read the shifts. It is shown only this once; run calendar-url again to replace it.");
            return 0;
        }, cancellationToken));
        return command;
    }

    private static DashboardSubject Subject(AppUser account) => new(account.Id, IsDemo: false, FixedToday: null);

    private static async Task<int> WithUserAsync(WebApplication app, string email, Func<IServiceProvider, AppUser, Task<int>> action, CancellationToken cancellationToken)
    {
        await using var scope = await HostCommands.OpenAsync(app, cancellationToken);
        var account = await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByEmailAsync(email);
        if (account is null)
        {
            await Console.Error.WriteLineAsync($"No account with the e-mail address {email}.");
            return 1;
        }

        return await action(scope.ServiceProvider, account);
    }

    private static bool TryDate(string? value, string name, out DateOnly date)
    {
        if (QueryDates.TryParse(value, out date))
        {
            return true;
        }

        Console.Error.WriteLine($"{name} must be a date written YYYY-MM-DD, for example 2025-08-25.");
        return false;
    }
}
