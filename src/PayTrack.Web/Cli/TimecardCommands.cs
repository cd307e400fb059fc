using System.CommandLine;
using Microsoft.AspNetCore.Identity;
using PayTrack.Web.Data;
using PayTrack.Web.Timecards;
using PayTrack.Web.Timecards.SeedData;

namespace PayTrack.Web.Cli;

/// <summary>The timecard verbs: <c>import</c>, <c>export</c> and <c>seed-data</c>.</summary>
internal static class TimecardCommands
{
    public const int Imported = 0;

    public const int NoSuchAccountOrFile = 1;

    public const int Refused = 2;

    public const int Failed = 3;

    public static Command Import(WebApplication app)
    {
        var user = new Option<string>("--user") { Description = "The account's e-mail address.", Required = true };
        var file = new Argument<FileInfo>("FILE") { Description = "A PayTrack backup file (JSON, contract section 5)." };
        var command = new Command("import", "Import a backup file into an account. A bad file imports nothing and says where it is wrong.") { user, file };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var scope = await HostCommands.OpenAsync(app, cancellationToken);
            return await ImportFileAsync(scope.ServiceProvider, parse.GetValue(user)!, parse.GetValue(file)!, Console.Out, Console.Error, cancellationToken);
        });
        return command;
    }

    /// <summary>
    /// The import verb's work, with its exit code: <see cref="Imported"/>, <see cref="NoSuchAccountOrFile"/>,
    /// <see cref="Refused"/> (the file is bad; nothing was written) or <see cref="Failed"/> (PayTrack could not finish,
    /// for example the database was unreachable; nothing was written either).
    /// </summary>
    public static async Task<int> ImportFileAsync(IServiceProvider services, string email, FileInfo path, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (!path.Exists)
        {
            await error.WriteLineAsync($"No file at {path.FullName}.");
            return NoSuchAccountOrFile;
        }

        if ((await services.GetRequiredService<UserManager<AppUser>>().FindByEmailAsync(email))?.Id is not { } userId)
        {
            await error.WriteLineAsync($"No account with the e-mail address {email}.");
            return NoSuchAccountOrFile;
        }

        IngestResult result;
        try
        {
            await using var stream = path.OpenRead();
            result = await services.GetRequiredService<BackupImport>().ImportAsync(userId, stream, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(TimecardCommands)).LogError(ex, "Import of {File} failed", path.Name);
            await error.WriteLineAsync($"PayTrack could not finish importing {path.Name} ({ex.GetType().Name}); nothing was imported. The log has the details.");
            return Failed;
        }

        if (!result.Succeeded)
        {
            await error.WriteLineAsync($"Nothing was imported from {BackupScanner.Clip(path.Name)}: " + result.Summary["Nothing was stored: ".Length..]);
            return Refused;
        }

        await output.WriteLineAsync($"Imported {path.Name} into {email}: {result.Summary}");
        return Imported;
    }

    public static Command Export(WebApplication app)
    {
        var user = new Option<string>("--user") { Description = "The account's e-mail address.", Required = true };
        var format = new Option<string>("--format") { Description = "backup (JSON, re-importable) or csv (one shift a row).", Required = true };
        format.AcceptOnlyFromAmong("backup", "csv");
        var from = new Option<DateOnly?>("--from") { Description = "First local date to include, YYYY-MM-DD." };
        var to = new Option<DateOnly?>("--to") { Description = "Last local date to include, YYYY-MM-DD." };
        var output = new Option<FileInfo?>("--out") { Description = "Write to this file instead of standard output." };
        var command = new Command("export", "Export an account's timecard as a backup file or as CSV.") { user, format, from, to, output };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var email = parse.GetValue(user)!;
            await using var scope = await HostCommands.OpenAsync(app, cancellationToken);
            if (await FindUserIdAsync(scope, email) is not { } userId)
            {
                await Console.Error.WriteLineAsync($"No account with the e-mail address {email}.");
                return 1;
            }

            var services = scope.ServiceProvider;
            var file = parse.GetValue(output);
            await using var stream = file is null ? Console.OpenStandardOutput() : file.Create();
            if (parse.GetValue(format) == "csv")
            {
                await services.GetRequiredService<CsvExport>().ExportAsync(userId, stream, parse.GetValue(from), parse.GetValue(to), cancellationToken);
            }
            else
            {
                await services.GetRequiredService<BackupExport>().ExportAsync(userId, stream, parse.GetValue(from), parse.GetValue(to), cancellationToken);
            }

            await stream.FlushAsync(cancellationToken);
            if (file is not null)
            {
                Console.WriteLine($"Wrote {file.FullName}.");
            }

            return 0;
        });
        return command;
    }

    public static Command SeedData()
    {
        var output = new Option<FileInfo?>("--out") { Description = "Write to this file instead of standard output (the repository keeps it in seed-data/demo-backup.json)." };
        var command = new Command("seed-data", "Write the demo student's backup (2023-2024, two jobs), the same bytes every time.") { output };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var file = parse.GetValue(output);
            await using var stream = file is null ? Console.OpenStandardOutput() : file.Create();
            await DemoBackup.WriteAsync(stream, cancellationToken);
            await stream.FlushAsync(cancellationToken);
            return 0;
        });
        return command;
    }

    private static async Task<string?> FindUserIdAsync(AsyncServiceScope scope, string email) =>
        (await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByEmailAsync(email))?.Id;
}
