using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PayTrack.KronosSimulator.Notion;

/// <summary>The simulated API's objects as JSON, and the checks of property values against a data source's schema.</summary>
internal static class NotionJson
{
    public static readonly string[] PropertyTypes = ["title", "rich_text", "number", "select", "date"];

    public static JsonObject TitleValue(string id, string text) => new()
    {
        ["id"] = id,
        ["type"] = "title",
        ["title"] = RichText(text),
    };

    public static JsonArray RichText(string text) =>
    [
        new JsonObject
        {
            ["type"] = "text",
            ["text"] = new JsonObject { ["content"] = text, ["link"] = null },
            ["plain_text"] = text,
            ["href"] = null,
        },
    ];

    public static string PlainText(JsonNode? richText) =>
        richText is JsonArray items
            ? string.Concat(items.Select(i => i?["text"]?["content"]?.GetValue<string>() ?? i?["plain_text"]?.GetValue<string>() ?? ""))
            : "";

    public static JsonObject Page(SimPage page)
    {
        var parent = page.DataSourceId is null
            ? new JsonObject { ["type"] = "workspace", ["workspace"] = true }
            : new JsonObject { ["type"] = "data_source_id", ["data_source_id"] = page.DataSourceId, ["database_id"] = page.DatabaseId };
        return new JsonObject
        {
            ["object"] = "page",
            ["id"] = page.Id,
            ["created_time"] = NotionWorkspace.Iso(page.CreatedAt),
            ["last_edited_time"] = NotionWorkspace.Iso(page.EditedAt),
            ["in_trash"] = page.InTrash,
            ["archived"] = page.InTrash,
            ["parent"] = parent,
            ["properties"] = page.Properties.DeepClone(),
            ["url"] = "https://www.notion.so/" + page.Id.Replace("-", "", StringComparison.Ordinal),
        };
    }

    public static JsonObject Database(SimDatabase database) => new()
    {
        ["object"] = "database",
        ["id"] = database.Id,
        ["title"] = RichText(database.Title),
        ["parent"] = new JsonObject { ["type"] = "page_id", ["page_id"] = database.ParentPageId },
        ["is_inline"] = false,
        ["in_trash"] = false,
        ["created_time"] = NotionWorkspace.Iso(database.CreatedAt),
        ["data_sources"] = new JsonArray(new JsonObject { ["id"] = database.DataSourceId, ["name"] = database.Title }),
    };

    public static JsonObject DataSource(SimDataSource source) => new()
    {
        ["object"] = "data_source",
        ["id"] = source.Id,
        ["title"] = RichText(source.Database.Title),
        ["parent"] = new JsonObject { ["type"] = "database_id", ["database_id"] = source.Database.Id },
        ["database_parent"] = new JsonObject { ["type"] = "page_id", ["page_id"] = source.Database.ParentPageId },
        ["properties"] = source.Schema.DeepClone(),
    };

    public static JsonObject List(IEnumerable<JsonNode> results, string? nextCursor, string type) => new()
    {
        ["object"] = "list",
        ["results"] = new JsonArray(results.ToArray()),
        ["next_cursor"] = nextCursor,
        ["has_more"] = nextCursor is not null,
        ["type"] = type,
        [type] = new JsonObject(),
    };

    /// <summary>A database's schema from the request's properties: exactly one title, known types only. Null with the reason otherwise.</summary>
    public static (JsonObject? Schema, string? Problem) Schema(JsonObject? properties)
    {
        if (properties is null || properties.Count == 0)
        {
            return (null, "body.initial_data_source.properties should be defined, instead was undefined.");
        }

        var schema = new JsonObject();
        var titles = 0;
        foreach (var (name, definition) in properties)
        {
            var type = definition is JsonObject d ? PropertyTypes.FirstOrDefault(d.ContainsKey) : null;
            if (type is null)
            {
                return (null, $"body.initial_data_source.properties.{name} should be one of the supported property types ({string.Join(", ", PropertyTypes)}).");
            }

            titles += type == "title" ? 1 : 0;
            var config = definition![type]?.DeepClone() as JsonObject ?? new JsonObject();
            if (type == "select" && config["options"] is null)
            {
                config["options"] = new JsonArray();
            }

            schema[name] = new JsonObject
            {
                ["id"] = type == "title" ? "title" : Guid.NewGuid().ToString("N")[..4],
                ["name"] = name,
                ["type"] = type,
                [type] = config,
            };
        }

        return titles == 1 ? (schema, null) : (null, "body.initial_data_source.properties should have exactly one title property.");
    }

    /// <summary>
    /// Checks property values against the schema and returns them as stored (with their id and type), or the reason they
    /// are refused. Select options that do not exist yet are added to the schema, as Notion does.
    /// </summary>
    public static (JsonObject? Values, string? Problem) Values(SimDataSource source, JsonObject? properties)
    {
        var values = new JsonObject();
        if (properties is null)
        {
            return (values, null);
        }

        foreach (var (name, raw) in properties)
        {
            if (source.Schema[name] is not JsonObject column)
            {
                return (null, $"{name} is not a property that exists.");
            }

            var type = column["type"]!.GetValue<string>();
            if (raw is not JsonObject given || !given.ContainsKey(type))
            {
                return (null, $"body.properties.{name}.{type} should be defined, instead was undefined.");
            }

            var (value, problem) = Value(column, type, given[type]);
            if (problem is not null)
            {
                return (null, $"body.properties.{name}.{type} {problem}");
            }

            values[name] = new JsonObject { ["id"] = column["id"]!.GetValue<string>(), ["type"] = type, [type] = value };
        }

        return (values, null);
    }

    private static (JsonNode? Value, string? Problem) Value(JsonObject column, string type, JsonNode? given)
    {
        switch (type)
        {
            case "title":
            case "rich_text":
                if (given is not JsonArray items || items.Any(i => i?["text"]?["content"] is not JsonValue))
                {
                    return (null, "should be an array of rich text objects with text.content.");
                }

                var text = PlainText(items);
                return text.Length > 2000 ? (null, "should be at most 2000 characters long.") : (RichText(text), null);
            case "number":
                return given is null || (given is JsonValue v && v.GetValueKind() == JsonValueKind.Number)
                    ? (given?.DeepClone(), null)
                    : (null, "should be a number or null.");
            case "select":
                if (given is null)
                {
                    return (null, null);
                }

                if (given["name"] is not JsonValue nameNode || nameNode.GetValueKind() != JsonValueKind.String || nameNode.GetValue<string>().Contains(',', StringComparison.Ordinal))
                {
                    return (null, "should have a name without commas.");
                }

                var optionName = nameNode.GetValue<string>();
                var options = (JsonArray)column["select"]!["options"]!;
                var option = options.FirstOrDefault(o => o?["name"]?.GetValue<string>() == optionName);
                if (option is null)
                {
                    option = new JsonObject { ["id"] = Guid.NewGuid().ToString("N")[..8], ["name"] = optionName, ["color"] = "default" };
                    options.Add(option);
                }

                return (option.DeepClone(), null);
            default:
                return DateValue(given);
        }
    }

    private static (JsonNode? Value, string? Problem) DateValue(JsonNode? given)
    {
        if (given is null)
        {
            return (null, null);
        }

        var start = given["start"]?.GetValue<string>();
        var end = given["end"]?.GetValue<string>();
        if (start is null || !IsDate(start) || (end is not null && !IsDate(end)))
        {
            return (null, "should have a start (and optional end) as ISO 8601 dates or date-times.");
        }

        return (new JsonObject { ["start"] = start, ["end"] = end, ["time_zone"] = given["time_zone"]?.DeepClone() }, null);
    }

    private static bool IsDate(string value) =>
        DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _) ||
        DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out _);

    /// <summary>Whether a page matches a query filter (property filters on number, title, rich_text, select; and/or). Null with the reason for a filter it cannot read.</summary>
    public static (bool Matches, string? Problem) Matches(SimDataSource source, SimPage page, JsonNode? filter)
    {
        if (filter is null)
        {
            return (true, null);
        }

        if (filter["and"] is JsonArray all)
        {
            return Combine(all, source, page, and: true);
        }

        if (filter["or"] is JsonArray any)
        {
            return Combine(any, source, page, and: false);
        }

        var name = filter["property"]?.GetValue<string>();
        if (name is null || source.Schema[name] is not JsonObject column)
        {
            return (false, $"Could not find property with name or id: {name}");
        }

        var type = column["type"]!.GetValue<string>();
        if (filter[type] is not JsonObject condition || condition["equals"] is not JsonValue wanted)
        {
            return (false, $"body.filter.{type}.equals should be defined (the simulator supports equals on {type}).");
        }

        var stored = page.Properties[name]?[type];
        var actual = type switch
        {
            "number" => stored?.GetValue<double>().ToString(CultureInfo.InvariantCulture),
            "select" => stored?["name"]?.GetValue<string>(),
            "title" or "rich_text" => PlainText(stored),
            _ => stored?["start"]?.GetValue<string>(),
        };
        var expected = wanted.GetValueKind() == JsonValueKind.Number
            ? wanted.GetValue<double>().ToString(CultureInfo.InvariantCulture)
            : wanted.ToString();
        return (string.Equals(actual, expected, StringComparison.Ordinal), null);
    }

    private static (bool Matches, string? Problem) Combine(JsonArray filters, SimDataSource source, SimPage page, bool and)
    {
        foreach (var part in filters)
        {
            var (matches, problem) = Matches(source, page, part);
            if (problem is not null)
            {
                return (false, problem);
            }

            if (matches != and)
            {
                return (!and, null);
            }
        }

        return (and, null);
    }
}
