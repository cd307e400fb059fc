using System.Text.Json;
using PayTrack.KronosSimulator.Data;

namespace PayTrack.KronosSimulator.Api;

/// <summary>
/// Writes the contract's JSON by hand, field name by field name. The simulator deliberately shares no types with
/// PayTrack's client, so a misspelt field on either side fails a test instead of hiding.
/// </summary>
internal static class WireWriter
{
    public static void WriteEmployee(Utf8JsonWriter json, SimAccount account)
    {
        json.WriteStartObject();
        json.WriteStartArray("list");
        foreach (var job in account.Jobs)
        {
            json.WriteStartObject();
            json.WriteString("firstname", account.FirstName);
            json.WriteNumber("employeeid", job.EmployeeId);
            json.WriteNumber("badgenum", job.BadgeNum);
            json.WriteString("department_desc", job.Department);
            json.WriteNumber("payruleid", job.PayRuleId);
            json.WriteNumber("basewagerate", job.Wage);
            json.WriteString("hiredate", PunchGenerator.FormatInstant(new DateTimeOffset(job.HireDate.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)));
            // Real sites send more than the contract names; clients must ignore it.
            json.WriteString("status", "active");
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    public static void WritePeriods(Utf8JsonWriter json, SimAccount account, IReadOnlyList<SimPeriod> periods)
    {
        json.WriteStartArray();
        foreach (var period in periods)
        {
            json.WriteStartObject();
            json.WriteString("periodStart", period.Start.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
            json.WriteString("periodEnd", period.End.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
            json.WriteStartArray("days");
            foreach (var day in period.Days)
            {
                WriteDay(json, account, day);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void WriteDay(Utf8JsonWriter json, SimAccount account, SimDay day)
    {
        json.WriteStartObject();
        json.WriteString("day", PunchGenerator.FormatInstant(new DateTimeOffset(day.Day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)));
        if (!account.SparsePunches && day.TotalHours is { } total)
        {
            json.WriteNumber("totalHours", total);
        }

        json.WriteStartArray("punches");
        foreach (var punch in day.Punches)
        {
            var shift = punch.Shift;
            json.WriteStartObject();
            if (!account.SparsePunches)
            {
                json.WriteString("id", shift.Id);
            }

            json.WriteString("in_datetime", PunchGenerator.FormatInstant(shift.InRaw));
            if (punch.Out is { } outAt)
            {
                json.WriteString("out_datetime", PunchGenerator.FormatInstant(outAt));
            }
            else
            {
                json.WriteNull("out_datetime");
            }

            json.WriteString("endreason", punch.EndReason);
            json.WriteString("in_rounded", PunchGenerator.FormatInstant(shift.InRounded));
            if (punch.OutRounded is { } outRounded)
            {
                json.WriteString("out_rounded", PunchGenerator.FormatInstant(outRounded));
            }

            if (!account.SparsePunches)
            {
                json.WriteString("timezone", account.Zone.Id);
            }

            json.WriteBoolean("edited", punch.Edited);
            json.WriteString("updatedOn", PunchGenerator.FormatInstant(punch.UpdatedOn));
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>Ground truth in the backup file's shape (contract section 5).</summary>
    public static void WriteTruth(Utf8JsonWriter json, SimAccount account, IEnumerable<(SimJob Job, IReadOnlyList<SimPeriod> Periods)> timecards)
    {
        json.WriteStartObject();
        json.WriteString("format", "paytrack-backup");
        json.WriteNumber("version", 1);
        json.WritePropertyName("employee");
        WriteEmployee(json, account);
        json.WriteStartArray("timecards");
        foreach (var (job, periods) in timecards)
        {
            json.WriteStartObject();
            json.WriteNumber("employeeid", job.EmployeeId);
            json.WriteNumber("payruleid", job.PayRuleId);
            json.WritePropertyName("periods");
            WritePeriods(json, account, periods);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    public static void WriteError(Utf8JsonWriter json, string code, string message)
    {
        json.WriteStartObject();
        json.WriteStartObject("error");
        json.WriteString("code", code);
        json.WriteString("message", message);
        json.WriteEndObject();
        json.WriteEndObject();
    }
}
