using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using PayTrack.Web.Data;

namespace PayTrack.Web.Notion;

/// <summary>A page PayTrack wants in Notion: its key, its properties, and their hash (what changed is what differs from the stored hash).</summary>
public sealed record DesiredPage(NotionPageKind Kind, long PayTrackId, JsonObject Properties)
{
    public string Hash { get; } = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(Properties.ToJsonString())))[..32];
}

/// <summary>The two databases' names, their properties and how a shift or a week is written into them.</summary>
public static class NotionSchema
{
    public const string ShiftsTitle = "PayTrack shifts";
    public const string WeeksTitle = "PayTrack weeks";
    public const string PayTrackId = "PayTrack id";

    public static JsonObject ShiftsDatabase(string parentPageId) => Database(parentPageId, ShiftsTitle, new JsonObject
    {
        ["Shift"] = Type("title"),
        ["When"] = Type("date"),
        ["Hours"] = Number("number"),
        ["Paid hours"] = Number("number"),
        ["Gross pay"] = Number("dollar"),
        ["Job"] = Type("select"),
        ["Status"] = Select("ok", "missing out-punch", "anomaly"),
        ["Source"] = Select("kronos", "import", "manual"),
        [PayTrackId] = Number("number"),
    });

    public static JsonObject WeeksDatabase(string parentPageId) => Database(parentPageId, WeeksTitle, new JsonObject
    {
        ["Week"] = Type("title"),
        ["Week start"] = Type("date"),
        ["Hours"] = Number("number"),
        ["Overtime hours"] = Number("number"),
        ["Gross pay"] = Number("dollar"),
        ["Hours under cap"] = Number("number"),
        ["Pay period"] = Type("rich_text"),
        [PayTrackId] = Number("number"),
    });

    /// <summary>A shift page. Times are local to the user's zone, with their offset, so Notion shows the hours the user worked.</summary>
    public static DesiredPage Shift(long shiftId, string jobLabel, DateOnly date, DateTimeOffset localStart, DateTimeOffset? localEnd,
        decimal hours, decimal paidHours, decimal grossPay, string status, string source)
    {
        var job = SelectName(jobLabel);
        return new DesiredPage(NotionPageKind.Shift, shiftId, new JsonObject
        {
            ["Shift"] = Text("title", string.Create(CultureInfo.InvariantCulture, $"{jobLabel}, {date:ddd d MMM yyyy}")),
            ["When"] = new JsonObject { ["date"] = new JsonObject { ["start"] = Iso(localStart), ["end"] = localEnd is { } end ? Iso(end) : null } },
            ["Hours"] = new JsonObject { ["number"] = hours },
            ["Paid hours"] = new JsonObject { ["number"] = paidHours },
            ["Gross pay"] = new JsonObject { ["number"] = grossPay },
            ["Job"] = new JsonObject { ["select"] = new JsonObject { ["name"] = job } },
            ["Status"] = new JsonObject { ["select"] = new JsonObject { ["name"] = status } },
            ["Source"] = new JsonObject { ["select"] = new JsonObject { ["name"] = source } },
            [PayTrackId] = new JsonObject { ["number"] = shiftId },
        });
    }

    /// <summary>A workweek page; <paramref name="hoursUnderCap"/> is negative when over the cap, null when no cap is tracked.</summary>
    public static DesiredPage Week(DateOnly start, decimal hours, decimal overtimeHours, decimal grossPay, decimal? hoursUnderCap, string payPeriod)
    {
        var id = WeekId(start);
        return new DesiredPage(NotionPageKind.Week, id, new JsonObject
        {
            ["Week"] = Text("title", string.Create(CultureInfo.InvariantCulture, $"Week of {start:ddd d MMM yyyy}")),
            ["Week start"] = new JsonObject { ["date"] = new JsonObject { ["start"] = start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) } },
            ["Hours"] = new JsonObject { ["number"] = hours },
            ["Overtime hours"] = new JsonObject { ["number"] = overtimeHours },
            ["Gross pay"] = new JsonObject { ["number"] = grossPay },
            ["Hours under cap"] = new JsonObject { ["number"] = hoursUnderCap },
            ["Pay period"] = Text("rich_text", payPeriod),
            [PayTrackId] = new JsonObject { ["number"] = id },
        });
    }

    /// <summary>A week's PayTrack id: its first day as the number yyyymmdd (20230115).</summary>
    public static long WeekId(DateOnly start) => (start.Year * 10_000L) + (start.Month * 100L) + start.Day;

    /// <summary>The filter that finds a page by its PayTrack id.</summary>
    public static JsonObject ByPayTrackId(long id) => new()
    {
        ["property"] = PayTrackId,
        ["number"] = new JsonObject { ["equals"] = id },
    };

    /// <summary>Notion refuses commas in select options; a job named "Dining, Commons" becomes "Dining - Commons".</summary>
    public static string SelectName(string name) => name.Replace(", ", " - ", StringComparison.Ordinal).Replace(',', ' ');

    private static JsonObject Database(string parentPageId, string title, JsonObject properties) => new()
    {
        ["parent"] = new JsonObject { ["type"] = "page_id", ["page_id"] = parentPageId },
        ["title"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = new JsonObject { ["content"] = title } }),
        ["initial_data_source"] = new JsonObject { ["properties"] = properties },
    };

    private static JsonObject Type(string type) => new() { [type] = new JsonObject() };

    private static JsonObject Number(string format) => new() { ["number"] = new JsonObject { ["format"] = format } };

    private static JsonObject Select(params string[] options) => new()
    {
        ["select"] = new JsonObject { ["options"] = new JsonArray(options.Select(o => (JsonNode)new JsonObject { ["name"] = o }).ToArray()) },
    };

    private static JsonObject Text(string type, string text) => new()
    {
        [type] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = new JsonObject { ["content"] = text } }),
    };

    private static string Iso(DateTimeOffset local) => local.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
}
