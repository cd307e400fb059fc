using System.Globalization;
using System.Text;
using System.Text.Json;

namespace PayTrack.Web.Timecards;

/// <summary>
/// The first look at a backup file's bytes, before they are read into records: the encoding, a file that is not JSON
/// at all (empty, CSV), and what the JSON reader alone cannot refuse: a name given twice in one object (the second
/// would silently replace the first), U+0000 and other control characters (PostgreSQL refuses them), absurdly long
/// text and deep nesting. It stops at the first problem and says where it is.
/// </summary>
public static class BackupScanner
{
    /// <summary>The longest text any field of a backup may hold; fields have their own, smaller limits.</summary>
    public const int MaxTextLength = 2000;

    /// <summary>A backup is nested eight deep ($.timecards[].periods[].days[].punches[]); more is not a backup.</summary>
    public const int MaxDepth = 16;

    private static readonly byte[] Utf8Bom = [0xEF, 0xBB, 0xBF];

    /// <summary>The JSON bytes (without a UTF-8 byte-order mark), or the one problem that stops the file being read.</summary>
    public static (ReadOnlyMemory<byte> Json, IngestProblemInfo? Problem) Scan(ReadOnlyMemory<byte> bytes)
    {
        var span = bytes.Span;
        if (span.StartsWith(Utf8Bom))
        {
            bytes = bytes[Utf8Bom.Length..];
            span = bytes.Span;
        }

        if (span.StartsWith((byte[])[0xFF, 0xFE]) || span.StartsWith((byte[])[0xFE, 0xFF]))
        {
            return (default, new IngestProblemInfo("$", "The file is saved as UTF-16; save it as UTF-8, as PayTrack writes its backups."));
        }

        var first = span.IndexOfAnyExcept(" \t\r\n"u8);
        if (first < 0)
        {
            return (default, new IngestProblemInfo("$", "The file is empty; expected a PayTrack backup (a JSON object)."));
        }

        if (span[first] != (byte)'{')
        {
            return (default, new IngestProblemInfo("$ (line 1)", NotAnObject(span[first..])));
        }

        return (bytes, Walk(bytes.Span));
    }

    private static string NotAnObject(ReadOnlySpan<byte> text)
    {
        var line = text[..Math.Max(0, text.IndexOf((byte)'\n') is var end and >= 0 ? end : Math.Min(text.Length, 500))];
        if (line.IndexOf((byte)',') >= 0 && text[0] != (byte)'[')
        {
            return "This is a CSV file; PayTrack imports backup files (the JSON file from Settings, Backup and export, Download backup).";
        }

        return text[0] == (byte)'['
            ? "Expected a backup object starting with {, found a list starting with [."
            : "Expected a PayTrack backup (a JSON object starting with {); this file is something else.";
    }

    private static IngestProblemInfo? Walk(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = MaxDepth, CommentHandling = JsonCommentHandling.Disallow });
        var path = new List<Frame>();
        try
        {
            while (reader.Read())
            {
                if (Check(ref reader, path) is { } message)
                {
                    return Problem(path, json, reader.TokenStartIndex, message);
                }
            }
        }
        catch (JsonException ex) when (reader.CurrentDepth >= MaxDepth - 1)
        {
            return new IngestProblemInfo(Location(path, ex.LineNumber, ex.BytePositionInLine), Syntax(ex));
        }
        catch (JsonException)
        {
            // Broken JSON: the record reader names the first problem in the file, a wrong value or this one.
        }
        catch (InvalidOperationException)
        {
            // A text that is not UTF-8 cannot be read as one.
            return new IngestProblemInfo(Location(path, null, null), "The file is not UTF-8 text; save it as UTF-8, as PayTrack writes its backups.");
        }

        return null;
    }

    /// <summary>Follows the path through one token and says what is wrong with it, or null.</summary>
    private static string? Check(ref Utf8JsonReader reader, List<Frame> path)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
            case JsonTokenType.StartArray:
                Advance(path);
                path.Add(new Frame(reader.TokenType == JsonTokenType.StartArray));
                return null;
            case JsonTokenType.EndObject:
            case JsonTokenType.EndArray:
                path.RemoveAt(path.Count - 1);
                return null;
            case JsonTokenType.PropertyName:
                var name = reader.GetString()!;
                var frame = path[^1];
                frame.Name = name;
                if (Bad(name) is { } badName)
                {
                    return "A field name " + badName;
                }

                return frame.Names!.Add(name) ? null : $"\"{Clip(name)}\" is given twice in this object; a backup names each field once.";
            case JsonTokenType.String:
                Advance(path);
                if (reader.ValueSpan.Length > MaxTextLength * 6)
                {
                    return TooLong;
                }

                var value = reader.GetString()!;
                return value.Length > MaxTextLength ? TooLong : Bad(value) is { } badValue ? "The text " + badValue : null;
            default:
                Advance(path);
                return null;
        }
    }

    private static readonly string TooLong = string.Create(CultureInfo.InvariantCulture, $"A text longer than {MaxTextLength:N0} characters; no field of a backup holds that much.");

    private static string? Bad(string text)
    {
        foreach (var c in text)
        {
            if (c == '\0')
            {
                return "holds the character U+0000 (NUL), which has no place in a backup.";
            }

            if (char.IsControl(c) && c is not ('\t' or '\n' or '\r'))
            {
                return string.Create(CultureInfo.InvariantCulture, $"holds the control character U+{(int)c:X4}, which has no place in a backup.");
            }
        }

        return null;
    }

    /// <summary>The reader's complaint in plain words, without its internals.</summary>
    internal static string Syntax(JsonException ex)
    {
        var message = ex.Message;
        foreach (var internals in new[] { " Path:", " LineNumber:" })
        {
            var cut = message.IndexOf(internals, StringComparison.Ordinal);
            if (cut > 0)
            {
                message = message[..cut];
            }
        }

        if (message.Contains("UTF-8", StringComparison.OrdinalIgnoreCase) || message.Contains("UTF8", StringComparison.OrdinalIgnoreCase))
        {
            return "The file is not UTF-8 text; save it as UTF-8, as PayTrack writes its backups.";
        }

        if (message.Contains("depth to be zero", StringComparison.Ordinal) || message.Contains("end of data", StringComparison.OrdinalIgnoreCase))
        {
            return "The file ends too soon: it was cut off or not saved completely.";
        }

        if (message.Contains("maximum", StringComparison.OrdinalIgnoreCase) && message.Contains("depth", StringComparison.OrdinalIgnoreCase))
        {
            return string.Create(CultureInfo.InvariantCulture, $"Nested more than {MaxDepth} deep; a backup is not.");
        }

        return message.Length <= 150 && !message.Contains("System.", StringComparison.Ordinal)
            ? message.Trim()
            : "Not valid JSON here: expected a value, a comma or a closing bracket as JSON writes them.";
    }

    private static void Advance(List<Frame> path)
    {
        if (path.Count > 0 && path[^1].IsArray)
        {
            path[^1].Index++;
        }
    }

    private static IngestProblemInfo Problem(List<Frame> path, ReadOnlySpan<byte> json, long tokenStart, string message)
    {
        // The reader counts lines only in its exceptions; the token's offset is enough to count them here.
        var before = json[..(int)tokenStart];
        var line = before.Count((byte)'\n');
        var position = before.Length - (before.LastIndexOf((byte)'\n') + 1);
        return new(Location(path, line, position), message);
    }

    internal static string Location(IReadOnlyList<Frame> path, long? line, long? position)
    {
        var text = new StringBuilder("$");
        foreach (var frame in path)
        {
            if (frame.IsArray)
            {
                if (frame.Index >= 0)
                {
                    text.Append(CultureInfo.InvariantCulture, $"[{frame.Index}]");
                }
            }
            else if (frame.Name is { } name)
            {
                text.Append('.').Append(Clip(name));
            }
        }

        if (line is { } l)
        {
            text.Append(CultureInfo.InvariantCulture, $" (line {l + 1}, position {(position ?? 0) + 1})");
        }

        return text.ToString();
    }

    /// <summary>A value quoted in a message: at most 40 characters, so a message stays short whatever the file holds.</summary>
    public static string Clip(string text, int max = 40) => text.Length <= max ? text : string.Concat(text.AsSpan(0, max), "…");

    internal sealed class Frame(bool isArray)
    {
        public bool IsArray { get; } = isArray;

        public int Index { get; set; } = -1;

        public string? Name { get; set; }

        public HashSet<string>? Names { get; } = isArray ? null : new HashSet<string>(StringComparer.Ordinal);
    }
}
