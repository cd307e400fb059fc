using System.Text;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using PayTrack.Tests.Infrastructure;
using PayTrack.Web.Data;

namespace PayTrack.Tests.Foundation;

/// <summary>
/// One owner per table (issue 17, decision 0030): the SQL text naming a table is found only in its owner's files. Every
/// C# string literal of src/PayTrack.Web (regular, verbatim, raw, interpolated; not comments) is searched for each
/// table of the EF model: a name with an underscore wherever it stands as a word, a plain word (<c>jobs</c>,
/// <c>shifts</c>, <c>terms</c>) only after an SQL keyword (<c>FROM shifts</c>, <c>JOIN jobs j</c>,
/// <c>UPDATE shifts</c>, <c>INTO shifts</c>). Past migrations and the EF mapping (Data/Configurations) are left out:
/// they name the tables to create them.
/// </summary>
public sealed partial class TableOwnersTests
{
    /// <summary>The timecard tables' owner is a folder: its classes write behind <c>TimecardDatabase</c>'s one per-user lock, and <c>TimecardReads</c> reads for the other folders.</summary>
    private static readonly string[] Timecards = ["Timecards/"];

    /// <summary>Each table, and the files (or folder, ending in /) whose SQL may name it.</summary>
    private static readonly Dictionary<string, string[]> Owners = new(StringComparer.Ordinal)
    {
        ["user_pay_settings"] = ["Pay/PaySettingsStore.cs"],
        ["pay_rate_changes"] = ["Pay/PaySettingsStore.cs"],
        ["student_pay_settings"] = ["Pay/StudentPayStore.cs"],
        ["terms"] = ["Pay/StudentPayStore.cs"],
        ["work_study_awards"] = ["Pay/StudentPayStore.cs"],
        ["pay_stubs"] = ["Pay/StudentPayStore.cs"],
        ["kronos_connections"] = ["Connections/KronosConnections.cs", "Connections/ConnectionOutcomes.cs"],
        ["jobs"] = Timecards,
        ["raw_punches"] = Timecards,
        ["raw_punch_versions"] = Timecards,
        ["shifts"] = Timecards,
        ["out_time_entries"] = Timecards,
        ["ingest_batches"] = Timecards,
        ["ingest_problems"] = Timecards,
        ["ingest_ranges"] = Timecards,
        ["job_runs"] = ["Sync/SyncRuns.cs"],
        ["job_run_chunks"] = ["Sync/SyncRuns.cs"],
        ["notion_connections"] = ["Notion/NotionConnections.cs", "Notion/NotionSync.cs"],
        ["notion_pages"] = ["Notion/NotionConnections.cs", "Notion/NotionSync.cs"],
        ["api_tokens"] = ["Api/ApiTokens.cs"],
        ["calendar_feed_tokens"] = ["CalendarFeed/CalendarFeeds.cs"],
        ["data_protection_keys"] = ["Data/DatabaseKeyRepository.cs", "Data/KeyRingMaintenance.cs"],
    };

    /// <summary>
    /// Identity's tables are written by ASP.NET Core Identity (EF Core) alone, and deleted with the account; SQL reads
    /// them only for a user's e-mail, in these read models, and for the session check's security stamp and Admin role.
    /// </summary>
    private static readonly string[] IdentityReaders =
    [
        "Connections/KronosConnections.cs", "Sync/SyncRuns.cs", "Sync/CatchupEntries.cs", "Sync/SyncEvents.cs", "Dashboard/DemoAccount.cs",
        "Components/Account/AccountDeletion.cs", "Components/Account/SessionCheck.cs",
    ];

    private const string AccountDeletion = "Components/Account/AccountDeletion.cs";

    /// <summary>
    /// Besides its owner, who may query a table with EF Core (LINQ, no SQL text): each a read model named in decision
    /// 0030, there because its folder sits below the owner's (and may not call it) or beside it.
    /// </summary>
    private static readonly Dictionary<string, string[]> EfReaders = new(StringComparer.Ordinal)
    {
        ["kronos_connections"] = ["Sync/SyncQueries.cs", "Timecards/BackupExport.cs", "Timecards/ManualShifts.cs", "Data/KeyRingMaintenance.cs"],
        ["jobs"] = ["Pay/PaySettingsStore.cs", "Pay/StudentPayStore.cs"],
        ["job_runs"] = ["Sync/SyncQueries.cs"],
    };

    [Fact]
    public void EachTablesEfQueriesAreInItsOwnerOrANamedReadModel()
    {
        using var db = Context();
        var tableOf = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in typeof(PayTrackDbContext).GetProperties(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.DeclaredOnly))
        {
            if (property.PropertyType.IsGenericType && property.PropertyType.GetGenericTypeDefinition() == typeof(DbSet<>))
            {
                tableOf[property.Name] = db.Model.FindEntityType(property.PropertyType.GetGenericArguments()[0])!.GetTableName()!;
            }
        }

        var setOf = db.Model.GetEntityTypes().Where(e => !e.HasSharedClrType).ToDictionary(e => e.ClrType.Name, e => e.GetTableName()!, StringComparer.Ordinal);
        Assert.Contains("KronosConnections", tableOf.Keys);
        var strays = new List<string>();
        foreach (var (file, _, code) in Sources().Where(s => s.File != "Data/PayTrackDbContext.cs"))
        {
            var used = DbSetUse().Matches(code).Select(m => tableOf.GetValueOrDefault(m.Groups[1].Value))
                .Concat(SetUse().Matches(code).Select(m => setOf.GetValueOrDefault(m.Groups[1].Value)))
                .OfType<string>().Where(t => !t.StartsWith("identity_", StringComparison.Ordinal)).Distinct(StringComparer.Ordinal);
            foreach (var table in used)
            {
                var allowed = Owners[table].Concat(EfReaders.GetValueOrDefault(table) ?? []).ToList();
                if (!allowed.Any(owner => owner.EndsWith('/') ? file.StartsWith(owner, StringComparison.Ordinal) : file == owner))
                {
                    strays.Add($"{file} queries {table} with EF Core (its owner and read models: {string.Join(", ", allowed)})");
                }
            }
        }

        Assert.True(strays.Count == 0, "EF Core queries outside a table's owner and named read models (decision 0030):\n" + string.Join("\n", strays));
    }

    [Fact]
    public void EachTablesSqlIsInItsOwnerOnly()
    {
        var strays = new List<string>();
        foreach (var (file, literal) in Literals())
        {
            foreach (var table in ModelTables())
            {
                if (!Names(literal, table))
                {
                    continue;
                }

                var allowed = table.StartsWith("identity_", StringComparison.Ordinal)
                    ? Writes(literal, table) ? [AccountDeletion] : IdentityReaders
                    : Owners[table];
                if (!allowed.Any(owner => owner.EndsWith('/') ? file.StartsWith(owner, StringComparison.Ordinal) : file == owner))
                {
                    strays.Add($"{file} names {table} (its owner: {string.Join(", ", allowed)}): {Shorten(literal)}");
                }
            }
        }

        Assert.True(strays.Count == 0, "SQL outside its table's owner (decision 0030):\n" + string.Join("\n", strays.Distinct()));
    }

    [Fact]
    public void EveryTableHasAnOwner()
    {
        var tables = ModelTables();
        Assert.Contains("shifts", tables);
        var withoutOwner = tables.Where(t => !t.StartsWith("identity_", StringComparison.Ordinal) && !Owners.ContainsKey(t)).ToList();
        Assert.True(withoutOwner.Count == 0, "Tables without an owner in this test and in decision 0030: " + string.Join(", ", withoutOwner));
        Assert.Empty(Owners.Keys.Except(tables));
    }

    [Fact]
    public void TheScanSeesSqlInEveryKindOfLiteral()
    {
        const string code = """""
            // SELECT * FROM shifts in a comment is not SQL
            var a = "SELECT 1 FROM shifts s";
            var b = @"UPDATE ""jobs"" SET x = 1";
            var c = $"SELECT {x} FROM raw_punches";
            var d = '"'; var e = "The shifts from Kronos"; /* FROM jobs */
            var f = $$""""
                DELETE FROM terms WHERE "a" = '{{y}}'
                """";
            """"";
        var literals = LiteralsIn(code);
        Assert.True(Names(literals[0], "shifts"));
        Assert.True(Names(literals[1], "jobs"));
        Assert.True(Names(literals[2], "raw_punches"));
        Assert.False(Names(literals[3], "shifts"));
        Assert.True(Names(literals[4], "terms"));
        Assert.Equal(5, literals.Count);
    }

    private static PayTrackDbContext Context() => new(new DbContextOptionsBuilder<PayTrackDbContext>().UseNpgsql("Host=unused").Options);

    private static List<string> ModelTables()
    {
        using var db = Context();
        return db.Model.GetEntityTypes().Select(e => e.GetTableName()).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
    }

    private static IEnumerable<(string File, string Literal)> Literals() =>
        Sources().SelectMany(source => source.Literals.Select(literal => (source.File, literal)));

    /// <summary>Each C# file of src/PayTrack.Web but the past migrations and the EF mapping, split into its literals and its code.</summary>
    private static IEnumerable<(string File, List<string> Literals, string Code)> Sources()
    {
        var root = Path.Combine(PayTrackProcess.RepoRoot, "src", "PayTrack.Web");
        foreach (var path in Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var file = Path.GetRelativePath(root, path).Replace('\\', '/');
            if (file.StartsWith("bin/", StringComparison.Ordinal) || file.StartsWith("obj/", StringComparison.Ordinal)
                || file.StartsWith("Data/Migrations/", StringComparison.Ordinal) || file.StartsWith("Data/Configurations/", StringComparison.Ordinal))
            {
                continue;
            }

            var (literals, code) = Split(File.ReadAllText(path));
            yield return (file, literals, code);
        }
    }

    private static bool Names(string literal, string table) => table.Contains('_', StringComparison.Ordinal)
        ? Regex.IsMatch(literal, $@"(?<![\w.]){table}(?!\w)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)
        : Regex.IsMatch(literal, $@"\b(FROM|JOIN|INTO|UPDATE|TABLE|COPY)\s+(ONLY\s+)?""?{table}""?(?!\w)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    private static bool Writes(string literal, string table) =>
        Regex.IsMatch(literal, $@"\b(INSERT\s+INTO|UPDATE|DELETE\s+FROM|TRUNCATE(\s+TABLE)?|COPY)\s+(ONLY\s+)?""?{table}""?(?!\w)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    private static string Shorten(string literal)
    {
        var flat = WhiteSpace().Replace(literal, " ").Trim();
        return flat.Length <= 120 ? flat : flat[..117] + "...";
    }

    /// <summary>The text of every string literal of a C# file, comments and character literals skipped.</summary>
    private static List<string> LiteralsIn(string code) => Split(code).Literals;

    /// <summary>A C# file's string literals, and the rest of its text without them and without comments.</summary>
    private static (List<string> Literals, string Code) Split(string code)
    {
        var literals = new List<string>();
        var rest = new StringBuilder();
        var i = 0;
        while (i < code.Length)
        {
            var c = code[i];
            var next = i + 1 < code.Length ? code[i + 1] : '\0';
            if (c == '/' && next == '/')
            {
                i = code.IndexOf('\n', i) is var end and >= 0 ? end : code.Length;
            }
            else if (c == '/' && next == '*')
            {
                i = code.IndexOf("*/", i + 2, StringComparison.Ordinal) is var end and >= 0 ? end + 2 : code.Length;
            }
            else if (c == '\'')
            {
                i = code.IndexOf('\'', next == '\\' ? i + 3 : i + 2) + 1;
                i = i <= 0 ? code.Length : i;
            }
            else if (c is '"' or '$' or '@' && Literal(code, i) is { } found)
            {
                literals.Add(found.Text);
                rest.Append(' ');
                i = found.End;
            }
            else
            {
                rest.Append(c);
                i++;
            }
        }

        return (literals, rest.ToString());
    }

    /// <summary>The string literal starting at <paramref name="start"/> (its prefix <c>$</c>, <c>@</c> included), or null when none does.</summary>
    private static (string Text, int End)? Literal(string code, int start)
    {
        var j = start;
        var verbatim = false;
        while (j < code.Length && code[j] is '$' or '@')
        {
            verbatim |= code[j] == '@';
            j++;
        }

        if (j >= code.Length || code[j] != '"')
        {
            return null;
        }

        var quotes = 0;
        while (j + quotes < code.Length && code[j + quotes] == '"')
        {
            quotes++;
        }

        if (quotes >= 3)
        {
            var close = code.IndexOf(new string('"', quotes), j + quotes, StringComparison.Ordinal);
            close = close < 0 ? code.Length : close;
            return (code[(j + quotes)..close], Math.Min(code.Length, close + quotes));
        }

        var text = new StringBuilder();
        var k = j + 1;
        while (k < code.Length)
        {
            if (code[k] == '"' && verbatim && k + 1 < code.Length && code[k + 1] == '"')
            {
                text.Append('"');
                k += 2;
            }
            else if (code[k] == '\\' && !verbatim)
            {
                text.Append(code, k, Math.Min(2, code.Length - k));
                k += 2;
            }
            else if (code[k] == '"')
            {
                break;
            }
            else
            {
                text.Append(code[k++]);
            }
        }

        return (text.ToString(), Math.Min(code.Length, k + 1));
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();

    /// <summary>A DbSet property read off a context (a variable named like <c>db</c> or <c>context</c>).</summary>
    [GeneratedRegex(@"\b\w*(?:db|Db|context|Context)\s*\.\s*([A-Z]\w*)\b")]
    private static partial Regex DbSetUse();

    /// <summary>A <c>Set&lt;Entity&gt;()</c> of a context (not a HashSet).</summary>
    [GeneratedRegex(@"(?<!\w)Set<(\w+)>\(")]
    private static partial Regex SetUse();
}
