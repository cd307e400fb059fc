using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using PayTrack.Web.Kronos;

namespace PayTrack.Web.Timecards;

/// <summary>
/// Writes a backup file in the contract's shapes, byte for byte the same for the same document: instants in UTC as
/// <c>2023-09-05T13:58:00.000Z</c> like the site's own, absent fields left out, two-space indentation.
/// </summary>
public static class BackupWriter
{
    public static async Task WriteAsync(Stream output, BackupDocument document, CancellationToken cancellationToken)
    {
        await using var writer = new Utf8JsonWriter(output, new JsonWriterOptions
        {
            Indented = true,
            // A file for people and programs, never embedded in HTML: keep accents and '&' readable.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        });
        Write(writer, document);
        await writer.FlushAsync(cancellationToken);
    }

    public static void Write(Utf8JsonWriter writer, BackupDocument document)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(document);
        writer.WriteStartObject();
        writer.WriteString("format", BackupFile.FormatName);
        writer.WriteNumber("version", 1);
        if (document.TimeZone is not null)
        {
            writer.WriteString("timezone", document.TimeZone);
        }

        WriteEmployee(writer, document.Employee);
        WriteTimecards(writer, document.Timecards);
        WriteManualShifts(writer, document.ManualShifts);
        WriteOutTimes(writer, document.OutTimes);
        writer.WriteEndObject();
    }

    /// <summary>An instant as the site writes it: UTC, milliseconds, a Z.</summary>
    public static string Instant(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static string PreciseInstant(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    private static void WriteEmployee(Utf8JsonWriter writer, EmployeeList employee)
    {
        writer.WriteStartObject("employee");
        writer.WriteStartArray("list");
        foreach (var job in employee.List)
        {
            writer.WriteStartObject();
            WriteIfPresent(writer, "firstname", job.FirstName);
            writer.WriteNumber("employeeid", job.EmployeeId);
            if (job.BadgeNum is { } badge)
            {
                writer.WriteNumber("badgenum", badge);
            }

            WriteIfPresent(writer, "department_desc", job.DepartmentDesc);
            writer.WriteNumber("payruleid", job.PayRuleId);
            if (job.BaseWageRate is { } wage)
            {
                writer.WriteNumber("basewagerate", wage);
            }

            WriteIfPresent(writer, "hiredate", job.HireDate);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteTimecards(Utf8JsonWriter writer, IReadOnlyList<JobTimecard> timecards)
    {
        writer.WriteStartArray("timecards");
        foreach (var timecard in timecards)
        {
            writer.WriteStartObject();
            writer.WriteNumber("employeeid", timecard.EmployeeId);
            writer.WriteNumber("payruleid", timecard.PayRuleId);
            writer.WriteStartArray("periods");
            foreach (var period in timecard.Periods)
            {
                WritePeriod(writer, period);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static void WriteManualShifts(Utf8JsonWriter writer, IReadOnlyList<BackupManualShift> manualShifts)
    {
        if (manualShifts.Count == 0)
        {
            return;
        }

        writer.WriteStartArray("manualShifts");
        foreach (var manual in manualShifts)
        {
            writer.WriteStartObject();
            writer.WriteNumber("employeeid", manual.EmployeeId);
            writer.WriteNumber("payruleid", manual.PayRuleId);
            writer.WriteString("start", Instant(manual.Start));
            writer.WriteString("end", Instant(manual.End));
            WriteIfPresent(writer, "timezone", manual.TimeZone);
            WriteIfPresent(writer, "note", manual.Note);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static void WriteOutTimes(Utf8JsonWriter writer, IReadOnlyList<BackupOutTime> outTimes)
    {
        if (outTimes.Count == 0)
        {
            return;
        }

        writer.WriteStartArray("outTimes");
        foreach (var entry in outTimes)
        {
            writer.WriteStartObject();
            writer.WriteNumber("employeeid", entry.EmployeeId);
            writer.WriteNumber("payruleid", entry.PayRuleId);
            WriteIfPresent(writer, "punchid", entry.PunchId);
            writer.WriteString("in", Instant(entry.In));
            writer.WriteString("out", Instant(entry.Out));
            // PayTrack's own clock readings keep the database's microseconds, so that importing a file again finds them.
            writer.WriteString("entered", PreciseInstant(entry.Entered));
            if (entry.Replaced is { } replaced)
            {
                writer.WriteString("replaced", PreciseInstant(replaced));
            }

            WriteIfPresent(writer, "kronosOut", entry.KronosOut);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static void WritePeriod(Utf8JsonWriter writer, TimecardPeriod period)
    {
        writer.WriteStartObject();
        if (period.PeriodStart is { } start)
        {
            writer.WriteString("periodStart", start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }

        if (period.PeriodEnd is { } end)
        {
            writer.WriteString("periodEnd", end.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }

        writer.WriteStartArray("days");
        foreach (var day in period.Days)
        {
            writer.WriteStartObject();
            WriteIfPresent(writer, "day", day.Day);
            if (day.TotalHours is { } total)
            {
                writer.WriteNumber("totalHours", total);
            }

            writer.WriteStartArray("punches");
            foreach (var punch in day.Punches)
            {
                writer.WriteStartObject();
                WriteIfPresent(writer, "id", punch.Id);
                writer.WriteString("in_datetime", Instant(punch.InDateTime));
                WriteIfPresent(writer, "out_datetime", punch.OutDateTime);
                writer.WriteString("endreason", punch.EndReason);
                WriteIfPresent(writer, "in_rounded", punch.InRounded);
                WriteIfPresent(writer, "out_rounded", punch.OutRounded);
                WriteIfPresent(writer, "timezone", punch.TimeZone);
                if (punch.Edited is { } edited)
                {
                    writer.WriteBoolean("edited", edited);
                }

                WriteIfPresent(writer, "updatedOn", punch.UpdatedOn);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteIfPresent(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }

    private static void WriteIfPresent(Utf8JsonWriter writer, string name, DateTimeOffset? value)
    {
        if (value is { } v)
        {
            writer.WriteString(name, Instant(v));
        }
    }
}
