using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using PayTrack.Web.Api;
using PayTrack.Web.Dashboard;
using PayTrack.Web.Data;
using PayTrack.Web.Operations;
using PayTrack.Web.Pay;

namespace PayTrack.Web.Cli;

/// <summary>
/// <c>report --user EMAIL [--from D] [--to D]</c>: the pay summary of GET /api/summary (workweeks and pay periods with
/// hours, overtime and gross pay), printed as JSON. Without dates it covers the year to date, like the API.
/// </summary>
internal static class ReportCommand
{
    private static readonly JsonSerializerOptions Indented = new(ApiJsonContext.Default.Options) { WriteIndented = true };

    public static Command Create(WebApplication app)
    {
        var user = new Option<string>("--user") { Description = "The account's e-mail address.", Required = true };
        var from = new Option<string?>("--from") { Description = "First local date, YYYY-MM-DD (default: January 1st)." };
        var to = new Option<string?>("--to") { Description = "Last local date, YYYY-MM-DD (default: today)." };
        var command = new Command("report", "Print an account's hours and estimated gross pay per workweek and pay period, as JSON.") { user, from, to };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (!TryDate(parse.GetValue(from), "--from", out var start) || !TryDate(parse.GetValue(to), "--to", out var end))
            {
                return 2;
            }

            if (start > end)
            {
                await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"--from ({start:yyyy-MM-dd}) is after --to ({end:yyyy-MM-dd})."));
                return 2;
            }

            var email = parse.GetValue(user)!;
            await using var scope = await HostCommands.OpenAsync(app, cancellationToken);
            var account = await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByEmailAsync(email);
            if (account is null)
            {
                await Console.Error.WriteLineAsync($"No account with the e-mail address {email}.");
                return 1;
            }

            var services = scope.ServiceProvider;
            var profile = await services.GetRequiredService<PayProfiles>().LoadAsync(new DashboardSubject(account.Id, IsDemo: false, FixedToday: null), cancellationToken);
            var first = start ?? new DateOnly((end ?? profile.Today).Year, 1, 1);
            var range = new DateRange(first, end ?? (first > profile.Today ? first : profile.Today));
            if (range.DayCount > SummaryQueries.MaxDays)
            {
                await Console.Error.WriteLineAsync($"A report covers at most {SummaryQueries.MaxDays} days; ask for a shorter range.");
                return 2;
            }

            var summary = await services.GetRequiredService<StudentPayQueries>().SummarizeAsync(profile, range, cancellationToken);
            Console.WriteLine(JsonSerializer.Serialize(summary, Indented.GetTypeInfo(typeof(PaySummary))));
            return 0;
        });
        return command;
    }

    private static bool TryDate(string? value, string name, out DateOnly? date)
    {
        date = null;
        if (string.IsNullOrEmpty(value))
        {
            return true;
        }

        if (QueryDates.TryParse(value, out var parsed))
        {
            date = parsed;
            return true;
        }

        Console.Error.WriteLine($"{name} must be a date written YYYY-MM-DD, for example 2025-01-05.");
        return false;
    }
}
