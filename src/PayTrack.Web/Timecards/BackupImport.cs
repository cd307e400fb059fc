using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PayTrack.Web.Data;
using PayTrack.Web.Kronos;
using PayTrack.Web.Live;

namespace PayTrack.Web.Timecards;

/// <summary>
/// Imports backup files. A file is read with the same wire records as the Kronos API; a bad file is refused as a whole,
/// with its first problems and where they are, and nothing of it is stored.
/// </summary>
public sealed class BackupImport(
    TimecardIngest ingest,
    ILiveNotifier live,
    IDbContextFactory<PayTrackDbContext> contexts,
    IOptions<TimecardOptions> options)
{
    /// <summary>What each field of the file holds, to say what was expected when a value does not fit.</summary>
    private static readonly Dictionary<string, string> FieldWords = new(StringComparer.Ordinal)
    {
        ["in_datetime"] = "a date and time such as 2023-09-05T13:58:00.000Z",
        ["out_datetime"] = "a date and time such as 2023-09-05T13:58:00.000Z",
        ["in_rounded"] = "a date and time such as 2023-09-05T14:00:00.000Z",
        ["out_rounded"] = "a date and time such as 2023-09-05T14:00:00.000Z",
        ["updatedOn"] = "a date and time such as 2023-09-05T17:02:05.000Z",
        ["hiredate"] = "a date and time such as 2022-08-29T00:00:00.000Z",
        ["day"] = "a date and time such as 2023-09-05T00:00:00.000Z",
        ["start"] = "a date and time such as 2023-09-05T13:58:00.000Z",
        ["end"] = "a date and time such as 2023-09-05T13:58:00.000Z",
        ["in"] = "a date and time such as 2023-09-05T13:58:00.000Z",
        ["out"] = "a date and time such as 2023-09-05T17:58:00.000Z",
        ["entered"] = "a date and time such as 2023-09-06T08:00:00.000Z",
        ["replaced"] = "a date and time such as 2023-09-08T08:00:00.000Z",
        ["kronosOut"] = "a date and time such as 2023-09-05T17:58:00.000Z",
        ["periodStart"] = "a date such as 2023-09-03",
        ["periodEnd"] = "a date such as 2023-09-16",
        ["employeeid"] = "a whole number",
        ["payruleid"] = "a whole number",
        ["badgenum"] = "a whole number",
        ["version"] = "a whole number",
        ["basewagerate"] = "a number",
        ["totalHours"] = "a number",
        ["edited"] = "true or false",
    };

    /// <summary>Imports a backup for a user; the result says what was stored, or why nothing was.</summary>
    public async Task<IngestResult> ImportAsync(string userId, Stream content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var limit = options.Value.MaxBackupBytes;
        var bytes = await ReadAtMostAsync(content, limit, cancellationToken);
        if (bytes is null)
        {
            return await ingest.RecordFailureAsync(userId, IngestSource.Import, [], $"The file is larger than {Size(limit)}; nothing was imported.", cancellationToken);
        }

        var (file, extras, problems) = Parse(bytes);
        if (problems.Count > 0)
        {
            return await ingest.RecordFailureAsync(userId, IngestSource.Import, problems, null, cancellationToken);
        }

        var zone = extras!.TimeZone ?? await BackupExport.ConnectionZoneAsync(contexts, userId, cancellationToken) ?? options.Value.DefaultTimeZone;
        var manual = (extras.ManualShifts ?? [])
            .Select(m => new ManualShiftImport(m.EmployeeId, m.PayRuleId, m.Start.ToUniversalTime(), m.End.ToUniversalTime(), m.TimeZone ?? zone, m.Note))
            .ToList();
        var outTimes = (extras.OutTimes ?? [])
            .Select(o => new OutTimeImport(o.EmployeeId, o.PayRuleId, IngestPlanner.KeyOf(o.PunchId, o.In.ToUniversalTime()), o.Out.ToUniversalTime(),
                o.Entered.ToUniversalTime(), o.Replaced?.ToUniversalTime(), o.KronosOut?.ToUniversalTime()))
            .ToList();
        var result = await ingest.IngestCoreAsync(userId, file!.Employee, file.Timecards, IngestSource.Import, zone, manual, outTimes, cancellationToken);
        if (result.Succeeded)
        {
            // Open pages of this user re-read their figures, wherever the import came from (the page or the command).
            await live.PublishAsync(LiveEvent.Changed(userId, "import"), CancellationToken.None);
        }

        return result;
    }

    /// <summary>
    /// Reads a backup file's bytes into the wire records and PayTrack's extra members. A file that is not JSON, or whose
    /// JSON is broken, stops at its first problem (the reader cannot go on); problems of meaning are all listed.
    /// </summary>
    public static (BackupFile? File, BackupExtras? Extras, List<IngestProblemInfo> Problems) Parse(ReadOnlyMemory<byte> bytes)
    {
        var problems = new List<IngestProblemInfo>();
        var (json, scanned) = BackupScanner.Scan(bytes);
        if (scanned is not null)
        {
            problems.Add(scanned);
            return (null, null, problems);
        }

        BackupFile? file;
        BackupExtras? extras;
        try
        {
            file = JsonSerializer.Deserialize(json.Span, KronosJsonContext.Default.BackupFile);
            extras = JsonSerializer.Deserialize(json.Span, TimecardJsonContext.Default.BackupExtras);
        }
        catch (JsonException ex)
        {
            problems.Add(Describe(ex));
            return (null, null, problems);
        }

        if (file is null || extras is null)
        {
            problems.Add(new IngestProblemInfo("$", "The file holds null instead of a backup object."));
            return (null, null, problems);
        }

        if (!string.Equals(file.Format, BackupFile.FormatName, StringComparison.Ordinal))
        {
            problems.Add(new IngestProblemInfo("$.format", $"Expected \"{BackupFile.FormatName}\", found \"{BackupScanner.Clip(file.Format ?? "")}\": this is not a PayTrack backup."));
        }

        if (file.Version != 1)
        {
            problems.Add(new IngestProblemInfo("$.version", string.Create(CultureInfo.InvariantCulture, $"This PayTrack reads version 1 backups; the file is version {file.Version}.")));
        }

        if (file.Employee?.List is null)
        {
            problems.Add(new IngestProblemInfo(file.Employee is null ? "$.employee" : "$.employee.list", "Required, but missing or null."));
        }

        if (file.Timecards is null)
        {
            problems.Add(new IngestProblemInfo("$.timecards", "Required, but missing or null: expected a list of timecards ([] for none)."));
        }
        else
        {
            for (var i = 0; i < file.Timecards.Count; i++)
            {
                CheckTimecard(file.Timecards[i], string.Create(CultureInfo.InvariantCulture, $"$.timecards[{i}]"), problems);
            }
        }

        problems.AddRange(CheckExtras(extras));
        problems.AddRange(CheckOutTimes(extras.OutTimes ?? []));
        return (file, extras, problems);
    }

    /// <summary>Lists in a backup are never null: a null would silently import nothing where the user expects their data.</summary>
    private static void CheckTimecard(JobTimecard? timecard, string at, List<IngestProblemInfo> problems)
    {
        if (timecard is null)
        {
            problems.Add(new IngestProblemInfo(at, "An empty entry (null) instead of a timecard."));
            return;
        }

        if (timecard.Periods is null)
        {
            problems.Add(new IngestProblemInfo(at + ".periods", "Required, but missing or null: expected a list of pay periods ([] for none)."));
            return;
        }

        for (var p = 0; p < timecard.Periods.Count; p++)
        {
            var days = timecard.Periods[p]?.Days;
            if (timecard.Periods[p] is not null && days is null)
            {
                problems.Add(new IngestProblemInfo(string.Create(CultureInfo.InvariantCulture, $"{at}.periods[{p}].days"), "Expected a list of days ([] for none), found null."));
                continue;
            }

            for (var d = 0; d < (days?.Count ?? 0); d++)
            {
                if (days![d] is { Punches: null })
                {
                    problems.Add(new IngestProblemInfo(string.Create(CultureInfo.InvariantCulture, $"{at}.periods[{p}].days[{d}].punches"), "Expected a list of punches ([] for none), found null."));
                }
            }
        }
    }

    private static IEnumerable<IngestProblemInfo> CheckExtras(BackupExtras extras)
    {
        if (extras.TimeZone is { } zone && !CleaningRules.IsKnownZone(zone))
        {
            yield return new IngestProblemInfo("$.timezone", $"Expected an IANA time zone such as America/New_York; found '{BackupScanner.Clip(zone)}'.");
        }

        for (var i = 0; i < (extras.ManualShifts?.Count ?? 0); i++)
        {
            var at = string.Create(CultureInfo.InvariantCulture, $"$.manualShifts[{i}]");
            if (extras.ManualShifts![i] is not { } shift)
            {
                yield return new IngestProblemInfo(at, "An empty entry (null) instead of a shift.");
            }
            else if (ManualShifts.Check(shift.Start, shift.End, shift.Note) is { } problem)
            {
                yield return new IngestProblemInfo(at + "." + problem.Field, problem.Message);
            }
            else if (shift.TimeZone is { } shiftZone && !CleaningRules.IsKnownZone(shiftZone))
            {
                yield return new IngestProblemInfo(at + ".timezone", $"Expected an IANA time zone such as America/New_York; found '{BackupScanner.Clip(shiftZone)}'.");
            }
        }
    }

    /// <summary>The user's out times, checked as <see cref="OutTimes.EnterAsync"/> checks one typed on the page.</summary>
    private static IEnumerable<IngestProblemInfo> CheckOutTimes(IReadOnlyList<BackupOutTime?> outTimes)
    {
        for (var i = 0; i < outTimes.Count; i++)
        {
            var at = string.Create(CultureInfo.InvariantCulture, $"$.outTimes[{i}]");
            if (outTimes[i] is not { } entry)
            {
                yield return new IngestProblemInfo(at, "An empty entry (null) instead of an out time.");
            }
            else if (OutTimes.Problem(entry.In, entry.Out) is { } problem)
            {
                yield return new IngestProblemInfo(at + ".out", problem);
            }
        }
    }

    internal static async Task<byte[]?> ReadAtMostAsync(Stream content, long limit, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await content.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    public static string Size(long bytes) => bytes >= 1024 * 1024
        ? string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0.#} MB")
        : string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.#} KB");

    private static IngestProblemInfo Describe(JsonException ex)
    {
        var message = ex.Message;
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        if (cut > 0)
        {
            message = message[..cut];
        }

        const string Missing = "was missing required properties including: ";
        const string Conversion = "The JSON value could not be converted to ";
        var missing = message.IndexOf(Missing, StringComparison.Ordinal);
        if (missing >= 0)
        {
            message = "Required field missing: " + BackupScanner.Clip(message[(missing + Missing.Length)..].Trim(), 80);
        }
        else if (message.StartsWith(Conversion, StringComparison.Ordinal))
        {
            var field = ex.Path?[(ex.Path.LastIndexOf('.') + 1)..] ?? "";
            var words = FieldWords.GetValueOrDefault(field) ?? TypeWords(message[Conversion.Length..]);
            message = $"Not a valid value here: expected {words}.";
        }
        else
        {
            message = BackupScanner.Syntax(ex);
        }

        var location = BackupScanner.Clip(ex.Path ?? "$", 160);
        if (ex.LineNumber is { } line)
        {
            location += string.Create(CultureInfo.InvariantCulture, $" (line {line + 1}, position {(ex.BytePositionInLine ?? 0) + 1})");
        }

        return new IngestProblemInfo(location, message.Trim());
    }

    /// <summary>What a .NET type the reader expected is called in a backup file.</summary>
    private static string TypeWords(string type) => type switch
    {
        _ when type.StartsWith("System.Int", StringComparison.Ordinal) || type.StartsWith("System.Nullable`1[System.Int", StringComparison.Ordinal) => "a whole number",
        _ when type.Contains("Decimal", StringComparison.Ordinal) || type.Contains("Double", StringComparison.Ordinal) => "a number",
        _ when type.Contains("DateTimeOffset", StringComparison.Ordinal) => "a date and time such as 2023-09-05T13:58:00.000Z",
        _ when type.Contains("DateOnly", StringComparison.Ordinal) => "a date such as 2023-09-03",
        _ when type.Contains("Boolean", StringComparison.Ordinal) => "true or false",
        _ when type.StartsWith("System.String", StringComparison.Ordinal) => "a text in quotes",
        _ when type.Contains("List", StringComparison.Ordinal) => "a list in [ ]",
        _ => "an object in { }",
    };
}
