using System.Globalization;
using System.Text;
using PayTrack.Web.Data;

namespace PayTrack.Web.Timecards;

/// <summary>The CSV export of a user's shifts (README, "CSV export").</summary>
public sealed class CsvExport(ShiftQueries queries)
{
    public const string Header = "date,employee_id,pay_rule_id,department,start,end,minutes,paid_minutes,status,edited,source,note";

    /// <summary>Writes a user's shifts as the documented CSV (README, "CSV export"): one shift a row, by date and start.</summary>
    public async Task ExportAsync(string userId, Stream output, DateOnly? from, DateOnly? to, CancellationToken cancellationToken)
    {
        var rows = await queries.ListAsync(userId, from, to, cancellationToken);
        await using var writer = new StreamWriter(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 64 * 1024, leaveOpen: true) { NewLine = "\n" };
        await writer.WriteLineAsync(Header);
        foreach (var row in rows)
        {
            await writer.WriteLineAsync(Line(row));
        }

        await writer.FlushAsync(cancellationToken);
    }

    public static string Line(ShiftRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var shift = row.Shift;
        var zone = CleaningRules.FindZone(shift.TimeZone) ?? TimeZoneInfo.Utc;
        var status = shift.Status switch
        {
            ShiftStatus.MissingOut => "missing_out",
            ShiftStatus.Anomaly => "anomaly",
            _ => "ok",
        };
        var source = shift.Source switch
        {
            ShiftSource.Kronos => "kronos",
            ShiftSource.Import => "import",
            _ => "manual",
        };
        string[] fields =
        [
            shift.LocalDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            row.EmployeeId.ToString(CultureInfo.InvariantCulture),
            row.PayRuleId.ToString(CultureInfo.InvariantCulture),
            row.Department ?? "",
            Local(shift.StartAt, zone),
            shift.EndAt is { } end ? Local(end, zone) : "",
            shift.WorkedMinutes.ToString(CultureInfo.InvariantCulture),
            shift.PaidMinutes.ToString(CultureInfo.InvariantCulture),
            status,
            shift.Edited ? "true" : "false",
            source,
            shift.Note ?? (shift.Source == ShiftSource.Manual ? shift.UserNote : null) ?? "",
        ];
        return string.Join(',', fields.Select(Quote));
    }

    private static string Local(DateTimeOffset instant, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(instant, zone).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    private static string Quote(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : field;
}
