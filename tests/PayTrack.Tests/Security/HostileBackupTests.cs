using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PayTrack.Tests.Infrastructure;
using PayTrack.Tests.Timecards;
using PayTrack.Web.Cli;
using static PayTrack.Tests.Timecards.TimecardTestKit;

namespace PayTrack.Tests.Security;

/// <summary>
/// Issue 10, point 6 and its generator: the demo backup mutated into hundreds of hostile files, each imported as the
/// <c>import</c> command does. Every file gets exit code 0 (imported) or 2 (refused) with one message under 500
/// characters; a refused file leaves the account's rows exactly as they were; nothing crashes (exit code 3 or an exception).
/// </summary>
public sealed class HostileBackupTests(PayTrackAppFactory app) : IClassFixture<PayTrackAppFactory>
{
    private const string Email = "hostile@example.edu";

    [Fact]
    public async Task EveryMutatedBackupIsImportedOrRefusedWithAShortMessageAndNothingWritten()
    {
        var user = await app.CreateUserAsync(Email);
        var demo = await File.ReadAllBytesAsync(DemoBackupTests.SeedFile);
        Assert.Equal(0, (await ImportAsync(demo)).ExitCode);

        var files = Generate(demo).ToList();
        Assert.True(files.Count >= 300, $"only {files.Count} files");
        var before = await SnapshotAsync(app.ConnectionString);
        var failures = new List<string>();
        var refused = 0;
        foreach (var (name, bytes, mustRefuse) in files)
        {
            var (code, message) = await ImportAsync(bytes);
            var after = await SnapshotAsync(app.ConnectionString);
            if (code is not (0 or 2))
            {
                failures.Add($"{name}: exit code {code}: {message}");
            }
            else if (message.Length >= 500)
            {
                failures.Add($"{name}: a message of {message.Length} characters");
            }
            else if (code == 2 && !before.SequenceEqual(after))
            {
                failures.Add($"{name}: refused, but rows changed");
            }
            else if (mustRefuse && code != 2)
            {
                failures.Add($"{name}: accepted ({message})");
            }

            refused += code == 2 ? 1 : 0;
            before = after;
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(30)));
        Assert.True(refused > files.Count / 2, $"{refused} of {files.Count} refused");
        Assert.NotEmpty(await app.ShiftsAsync(user));
    }

    [Fact]
    public async Task TheCommandRefusesABadFileWithItsOwnExitCodeAndSaysWhereAndWhat()
    {
        await app.CreateUserAsync("hostile-cli@example.edu");
        var file = Path.Combine(Path.GetTempPath(), $"paytrack-hostile-{Guid.NewGuid():N}.json");
        var text = Encoding.UTF8.GetString(await File.ReadAllBytesAsync(DemoBackupTests.SeedFile)).Replace("\"basewagerate\": 14.20", "\"basewagerate\": 35000", StringComparison.Ordinal);
        await File.WriteAllTextAsync(file, text);
        try
        {
            var (code, output) = await PayTrackProcess.RunAsync(["import", "--user", "hostile-cli@example.edu", file],
                new Dictionary<string, string?>(StringComparer.Ordinal) { ["ConnectionStrings__PayTrack"] = app.ConnectionString });

            Assert.Equal(TimecardCommands.Refused, code);
            Assert.Contains("$.employee.list[0].basewagerate: Expected an hourly wage from 0 to 1,000 dollars; found 35000.", output, StringComparison.Ordinal);
            Assert.True(output.Length < 500, output);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("bom", "")]
    [InlineData("csv", "This is a CSV file; PayTrack imports backup files")]
    [InlineData("nul", "$.employee.list[0].firstname (line 8, position 22): The text holds the character U+0000")]
    [InlineData("year1", "$.timecards[0].periods[1].days[0].punches[0].in_datetime: Expected a date and time between 1970 and 2100; found 0001-01-01.")]
    [InlineData("year9999", "$.timecards[0].periods[1].days[0].punches[0].in_datetime: Expected a date and time between 1970 and 2100; found 9999-12-31.")]
    [InlineData("longid", "$.timecards[0].periods[1].days[0].punches[0].id (line ")]
    [InlineData("periodsnull", "$.timecards[0].periods: Required, but missing or null")]
    [InlineData("duplicate", "is given twice in this object")]
    [InlineData("typo", "$.employee.list[0].employeeid (line 9, position ")]
    [InlineData("longshift", "$.manualShifts[0].end: A shift can last at most 24 hours.")]
    [InlineData("longnote", "$.manualShifts[0].note (line")]
    public async Task EachNamedHostileFileGetsItsOwnMessage(string kind, string expected)
    {
        await app.CreateUserAsync(Email + "." + kind);
        var demo = Encoding.UTF8.GetString(await File.ReadAllBytesAsync(DemoBackupTests.SeedFile));
        var firstPunchId = "\"id\": \"L-000001\"";
        var firstIn = "\"in_datetime\": \"2023-01-18T13:53:00.000Z\"";
        var bytes = kind switch
        {
            "bom" => [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(demo)],
            "csv" => Encoding.UTF8.GetBytes("date,employee_id,pay_rule_id,department,start,end,minutes,paid_minutes,status,edited,source,note\n2023-11-05,10234,7,,x,y,1,1,ok,false,kronos,\n"),
            "nul" => Encoding.UTF8.GetBytes(demo.Replace("\"Jordan\"", "\"Jor\\u0000dan\"", StringComparison.Ordinal)),
            "year1" => Encoding.UTF8.GetBytes(demo.Replace(firstIn, "\"in_datetime\": \"0001-01-01T00:00:00.000Z\"", StringComparison.Ordinal)),
            "year9999" => Encoding.UTF8.GetBytes(demo.Replace(firstIn, "\"in_datetime\": \"9999-12-31T00:00:00.000Z\"", StringComparison.Ordinal)),
            "longid" => Encoding.UTF8.GetBytes(demo.Replace(firstPunchId, $"\"id\": \"{new string('7', 3 * 1024 * 1024)}\"", StringComparison.Ordinal)),
            "periodsnull" => Mutate(demo, root => root["timecards"]![0]!["periods"] = null),
            "duplicate" => Encoding.UTF8.GetBytes(demo[..(demo.LastIndexOf('}') - 1)] + ",\n  \"timecards\": []\n}\n"),
            "typo" => Encoding.UTF8.GetBytes(demo.Replace("\"employeeid\": 10234,", "\"employeeid\": 10234x,", StringComparison.Ordinal)),
            "longshift" => Mutate(demo, root => root["manualShifts"] = Manual("2014-01-01T09:00:00Z", "2024-01-01T09:00:00Z", null)),
            "longnote" => Mutate(demo, root => root["manualShifts"] = Manual("2024-01-01T09:00:00Z", "2024-01-01T12:00:00Z", new string('n', 1024 * 1024))),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };

        var (code, message) = await ImportAsync(bytes, Email + "." + kind);

        Assert.True(message.Length < 500, message);
        if (expected.Length == 0)
        {
            Assert.True(code == 0, message);
        }
        else
        {
            Assert.Equal(TimecardCommands.Refused, code);
            Assert.Contains(expected, message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ABackupWithoutAWageKeepsTheStoredWage()
    {
        var user = await app.CreateUserAsync("hostile-wage@example.edu");
        var demo = Encoding.UTF8.GetString(await File.ReadAllBytesAsync(DemoBackupTests.SeedFile));
        Assert.Equal(0, (await ImportAsync(Encoding.UTF8.GetBytes(demo), "hostile-wage@example.edu")).ExitCode);

        var withoutWage = Mutate(demo, root => root["employee"]!["list"]![0]!.AsObject().Remove("basewagerate"));
        Assert.Equal(0, (await ImportAsync(withoutWage, "hostile-wage@example.edu")).ExitCode);

        await using var connection = new Npgsql.NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("SELECT base_wage_rate FROM jobs WHERE user_id = @user AND employee_id = 10234", connection);
        command.Parameters.AddWithValue("user", user);
        Assert.Equal(14.20m, (decimal)(await command.ExecuteScalarAsync())!);
    }

    private async Task<(int ExitCode, string Message)> ImportAsync(byte[] bytes, string email = Email)
    {
        var path = Path.Combine(Path.GetTempPath(), $"paytrack-hostile-{Guid.NewGuid():N}.json");
        await File.WriteAllBytesAsync(path, bytes);
        try
        {
            using var scope = app.Services.CreateScope();
            var output = new StringWriter(CultureInfo.InvariantCulture);
            var code = await TimecardCommands.ImportFileAsync(scope.ServiceProvider, email, new FileInfo(path), output, output, CancellationToken.None);
            return (code, output.ToString());
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static JsonArray Manual(string start, string end, string? note) =>
        [new JsonObject { ["employeeid"] = 10234, ["payruleid"] = 7, ["start"] = start, ["end"] = end, ["note"] = note }];

    private static byte[] Mutate(string json, Action<JsonObject> change)
    {
        var root = JsonNode.Parse(json)!.AsObject();
        change(root);
        return Encoding.UTF8.GetBytes(root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>The mutated files: a name, the bytes, and whether the file must be refused.</summary>
    private static IEnumerable<(string Name, byte[] Bytes, bool MustRefuse)> Generate(byte[] demo)
    {
        var random = new Random(20261130);
        var text = Encoding.UTF8.GetString(demo);

        for (var i = 1; i <= 40; i++)
        {
            var cut = (int)((long)demo.Length * i / 41) - random.Next(0, 50);
            yield return ($"truncated at {cut}", demo[..cut], true);
        }

        yield return ("empty", [], true);
        yield return ("blank", "  \n\t "u8.ToArray(), true);
        yield return ("array", "[]"u8.ToArray(), true);
        yield return ("array of the backup", Encoding.UTF8.GetBytes("[" + text + "]"), true);
        yield return ("null", "null"u8.ToArray(), true);
        yield return ("a string", "\"paytrack-backup\""u8.ToArray(), true);
        yield return ("a number", "42"u8.ToArray(), true);
        yield return ("empty object", "{}"u8.ToArray(), true);
        yield return ("csv", "date,employee_id,pay_rule_id\n2024-01-01,1,2\n"u8.ToArray(), true);
        yield return ("utf-8 bom", [0xEF, 0xBB, 0xBF, .. demo], false);
        yield return ("utf-16 le", Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(text)).ToArray(), true);
        yield return ("utf-16 be", Encoding.BigEndianUnicode.GetPreamble().Concat(Encoding.BigEndianUnicode.GetBytes(text)).ToArray(), true);
        yield return ("utf-16 without bom", Encoding.Unicode.GetBytes(text), true);
        yield return ("latin-1", Encoding.Latin1.GetBytes(text), true);
        yield return ("utf-32", Encoding.UTF32.GetBytes(text), true);
        yield return ("deep nesting", Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("{\"a\":", 2000)) + "1" + new string('}', 2000)), true);
        yield return ("deep arrays", Encoding.UTF8.GetBytes("{\"timecards\":" + new string('[', 5000) + new string(']', 5000) + "}"), true);
        yield return ("nested in a punch", Mutate(text, r => Punches(r)[0]!["extra"] = JsonNode.Parse(string.Concat(Enumerable.Repeat("[", 40)) + string.Concat(Enumerable.Repeat("]", 40)))), true);

        foreach (var (name, change) in Duplicates())
        {
            yield return ("duplicate " + name, Encoding.UTF8.GetBytes(change(text)), true);
        }

        var leaves = Leaves(JsonNode.Parse(text)!).ToList();
        JsonNode?[] wrongValues = ["abc", 1.5, -1, true, false, new JsonArray(), new JsonObject(), "", "2023-02-30T00:00:00Z"];
        for (var i = 0; i < 70; i++)
        {
            var path = leaves[random.Next(leaves.Count)];
            var value = wrongValues[random.Next(wrongValues.Length)];
            yield return ($"wrong type {path} = {value?.ToJsonString()}", Mutate(text, r => Set(r, path, value?.DeepClone())), false);
        }

        var objects = Objects(JsonNode.Parse(text)!).ToList();
        for (var i = 0; i < 40; i++)
        {
            var (path, keys) = objects[random.Next(objects.Count)];
            var key = keys[random.Next(keys.Count)];
            yield return ($"missing {path}.{key}", Mutate(text, r => ((JsonObject)Find(r, path)!).Remove(key)), false);
        }

        string[] wageFields = ["basewagerate"];
        object[] numbers = [35000, -14.2, 1e15, 1e300, -1, 1000.01, 99999999999999999999m];
        foreach (var number in numbers)
        {
            foreach (var job in new[] { 0, 1 })
            {
                yield return ($"wage {number} in job {job}", Replace(text, job, number), true);
            }
        }

        var numberLeaves = leaves.Where(p => p.EndsWith("employeeid", StringComparison.Ordinal) || p.EndsWith("payruleid", StringComparison.Ordinal) || p.EndsWith("totalHours", StringComparison.Ordinal) || p.EndsWith("badgenum", StringComparison.Ordinal) || p.EndsWith("version", StringComparison.Ordinal)).ToList();
        JsonNode[] hugeValues = [JsonValue.Create(1e15), JsonValue.Create(-14.2), JsonValue.Create(-1), JsonValue.Create(9_223_372_036_854_775_807L), JsonNode.Parse("92233720368547758070")!, JsonNode.Parse("1e400")!];
        for (var i = 0; i < 30; i++)
        {
            var path = numberLeaves[random.Next(numberLeaves.Count)];
            var value = hugeValues[random.Next(hugeValues.Length)];
            yield return ($"number {path} = {value.ToJsonString()}", Mutate(text, r => Set(r, path, value.DeepClone())), false);
        }

        string[] dateFields = [".in_datetime", ".out_datetime", ".in_rounded", ".out_rounded", ".updatedOn", ".hiredate", ".day", ".periodStart", ".periodEnd"];
        var dateLeaves = leaves.Where(p => dateFields.Contains(Last(p), StringComparer.Ordinal)).ToList();
        string[] impossible = ["0001-01-01T00:00:00.000Z", "9999-12-31T23:59:59.999Z", "1900-01-01T00:00:00Z", "2300-06-01T00:00:00Z", "2023-02-30T10:00:00Z", "2023-13-01T00:00:00Z", "2023-01-01T25:00:00Z", "yesterday", "", "0001-01-01", "9999-12-31"];
        for (var i = 0; i < 50; i++)
        {
            var path = dateLeaves[random.Next(dateLeaves.Count)];
            var value = impossible[random.Next(impossible.Length)];
            yield return ($"date {path} = {value}", Mutate(text, r => Set(r, path, value)), true);
        }

        var stringLeaves = leaves.Where(p => Find(JsonNode.Parse(text)!, p) is JsonValue v && v.GetValueKind() == JsonValueKind.String).ToList();
        for (var i = 0; i < 20; i++)
        {
            var path = stringLeaves[random.Next(stringLeaves.Count)];
            yield return ($"nul in {path}", Mutate(text, r => Set(r, path, "a\u0000b")), true);
        }

        yield return ("control character", Mutate(text, r => r["employee"]!["list"]![0]!["firstname"] = "Jor\u0007dan"), true);
        yield return ("3 MB punch id", Mutate(text, r => Punches(r)[0]!["id"] = new string('7', 3 * 1024 * 1024)), true);
        yield return ("1 MB department", Mutate(text, r => r["employee"]!["list"]![0]!["department_desc"] = new string('d', 1024 * 1024)), true);
        yield return ("101-character punch id", Mutate(text, r => Punches(r)[0]!["id"] = new string('7', 101)), true);
        yield return ("unknown zone", Mutate(text, r => Punches(r)[0]!["timezone"] = "Mars/Olympus"), true);
        yield return ("backup zone unknown", Mutate(text, r => r["timezone"] = "Eastern"), true);
        yield return ("periods null", Mutate(text, r => r["timecards"]![0]!["periods"] = null), true);
        yield return ("days null", Mutate(text, r => r["timecards"]![0]!["periods"]![1]!["days"] = null), true);
        yield return ("punches null", Mutate(text, r => r["timecards"]![0]!["periods"]![1]!["days"]![0]!["punches"] = null), true);
        yield return ("timecards null", Mutate(text, r => r["timecards"] = null), true);
        yield return ("employee list null", Mutate(text, r => r["employee"]!["list"] = null), true);
        yield return ("format wrong", Mutate(text, r => r["format"] = new string('x', 1500)), true);
        yield return ("version 2", Mutate(text, r => r["version"] = 2), true);
        yield return ("rounded years apart", Mutate(text, r => Punches(r)[0]!["out_rounded"] = "2031-01-18T17:00:00.000Z"), true);
        yield return ("out a month after in", Mutate(text, r => Punches(r)[0]!["out_datetime"] = "2023-02-18T17:00:00.000Z"), true);
        yield return ("10-year manual shift", Mutate(text, r => r["manualShifts"] = Manual("2014-01-01T09:00:00Z", "2024-01-01T09:00:00Z", null)), true);
        yield return ("1 MB note", Mutate(text, r => r["manualShifts"] = Manual("2024-01-01T09:00:00Z", "2024-01-01T12:00:00Z", new string('n', 1024 * 1024))), true);
        yield return ("manual shift in year 1", Mutate(text, r => r["manualShifts"] = Manual("0001-01-01T09:00:00Z", "0001-01-01T12:00:00Z", null)), true);
        yield return ("manual shift end = start", Mutate(text, r => r["manualShifts"] = Manual("2024-01-01T09:00:00Z", "2024-01-01T09:00:00Z", null)), true);
        yield return ("manual shift ok", Mutate(text, r => r["manualShifts"] = Manual("2024-12-30T09:00:00Z", "2024-12-30T12:00:00Z", "a note")), false);

        var punchCount = Punches(JsonNode.Parse(text)!.AsObject()).Count;
        for (var i = 0; i < 10; i++)
        {
            var at = random.Next(punchCount);
            yield return ($"out before in, punch {at}", Mutate(text, r =>
            {
                var punch = Punches(r)[at]!;
                (punch["in_datetime"], punch["out_datetime"]) = (punch["out_datetime"]?.DeepClone() ?? punch["in_datetime"]!.DeepClone(), punch["in_datetime"]!.DeepClone());
            }), false);
        }

        for (var i = 0; i < 10; i++)
        {
            var at = random.Next(punchCount);
            yield return ($"overlap at punch {at}", Mutate(text, r =>
            {
                var punches = Punches(r);
                var copy = punches[at]!.DeepClone();
                copy["id"] = $"overlap-{i}";
                copy["in_datetime"] = DateTimeOffset.Parse((string)copy["in_datetime"]!, CultureInfo.InvariantCulture).AddMinutes(30).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
                punches.Add(copy);
            }), false);
        }
    }

    private static byte[] Replace(string text, int job, object number) => Mutate(text, r => r["employee"]!["list"]![job]!["basewagerate"] = JsonNode.Parse(Convert.ToString(number, CultureInfo.InvariantCulture)!));

    private static IEnumerable<(string Name, Func<string, string> Change)> Duplicates()
    {
        yield return ("timecards at the end", t => t[..(t.LastIndexOf('}') - 1)] + ",\n  \"timecards\": []\n}\n");
        yield return ("employee at the end", t => t[..(t.LastIndexOf('}') - 1)] + ",\n  \"employee\": {\"list\": []}\n}\n");
        yield return ("format first", t => "{\"format\": \"x\"," + t[1..]);
        yield return ("version first", t => "{\"version\": 1," + t[1..]);
        yield return ("list in employee", t => t.Replace("\"employee\": {", "\"employee\": {\"list\": [],", StringComparison.Ordinal));
        yield return ("employeeid in a job", t => t.Replace("\"firstname\": \"Jordan\",", "\"employeeid\": 1, \"firstname\": \"Jordan\",", StringComparison.Ordinal));
        yield return ("periods in a timecard", t => t.Replace("\"payruleid\": 7,\n      \"periods\": [", "\"payruleid\": 7, \"periods\": [],\n      \"periods\": [", StringComparison.Ordinal));
        yield return ("in_datetime in a punch", t => t.Replace("\"id\": \"L-000001\",", "\"id\": \"L-000001\", \"in_datetime\": \"2023-01-18T10:00:00.000Z\",", StringComparison.Ordinal));
        yield return ("id in a punch", t => t.Replace("\"id\": \"L-000001\",", "\"id\": \"L-000001\", \"id\": \"L-999\",", StringComparison.Ordinal));
        yield return ("days in a period", t => t.Replace("\"periodEnd\": \"2023-01-14\",", "\"periodEnd\": \"2023-01-14\", \"days\": [],", StringComparison.Ordinal));
    }

    private static JsonArray Punches(JsonObject root) => root["timecards"]![0]!["periods"]![1]!["days"]![0]!["punches"]!.AsArray();

    private static IEnumerable<string> Leaves(JsonNode node, string path = "$")
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, child) in obj)
                {
                    foreach (var leaf in child is null ? [path + "." + key] : Leaves(child, path + "." + key))
                    {
                        yield return leaf;
                    }
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    foreach (var leaf in array[i] is { } child ? Leaves(child, $"{path}[{i}]") : [$"{path}[{i}]"])
                    {
                        yield return leaf;
                    }
                }

                break;
            default:
                yield return path;
                break;
        }
    }

    private static IEnumerable<(string Path, List<string> Keys)> Objects(JsonNode node, string path = "$")
    {
        if (node is JsonObject obj)
        {
            yield return (path, obj.Select(p => p.Key).ToList());
            foreach (var (key, child) in obj)
            {
                if (child is not null)
                {
                    foreach (var inner in Objects(child, path + "." + key))
                    {
                        yield return inner;
                    }
                }
            }
        }
        else if (node is JsonArray array)
        {
            for (var i = 0; i < array.Count; i++)
            {
                if (array[i] is { } child)
                {
                    foreach (var inner in Objects(child, $"{path}[{i}]"))
                    {
                        yield return inner;
                    }
                }
            }
        }
    }

    private static JsonNode? Find(JsonNode root, string path)
    {
        JsonNode? node = root;
        foreach (var step in Steps(path))
        {
            node = step is int index ? node![index] : node![(string)step];
        }

        return node;
    }

    private static void Set(JsonNode root, string path, JsonNode? value)
    {
        var steps = Steps(path).ToList();
        var parent = Find(root, path[..(path.Length - Last(path).Length)]);
        if (steps[^1] is int index)
        {
            parent![index] = value;
        }
        else
        {
            parent![(string)steps[^1]] = value;
        }
    }

    private static string Last(string path)
    {
        var bracket = path.LastIndexOf('[');
        var dot = path.LastIndexOf('.');
        return path[Math.Max(bracket, dot)..];
    }

    private static IEnumerable<object> Steps(string path)
    {
        var i = 1;
        while (i < path.Length)
        {
            if (path[i] == '.')
            {
                var end = path.IndexOfAny(['.', '['], i + 1);
                end = end < 0 ? path.Length : end;
                yield return path[(i + 1)..end];
                i = end;
            }
            else
            {
                var end = path.IndexOf(']', i);
                yield return int.Parse(path.AsSpan(i + 1, end - i - 1), CultureInfo.InvariantCulture);
                i = end + 1;
            }
        }
    }
}
