using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace PayTrack.Web.Operations;

/// <summary>
/// A setting PayTrack cannot use (a word where a number belongs, a number out of range, an unknown choice, an address
/// another program holds) stops it at start with one plain sentence per setting, naming the setting and its environment
/// variable and saying what it takes, as a missing PostgreSQL does: no stack trace, in the log either.
/// </summary>
public static partial class SettingsProblems
{
    /// <summary>The exit code of a start stopped by a setting, as for the other problems an operator must fix first.</summary>
    public const int ExitCode = 2;

    private const int LongestValueShown = 40;

    /// <summary>
    /// Runs the settings checks (those registered with ValidateOnStart) now, so that a bad setting is found before the
    /// host starts: the host would log it with a stack trace before <see cref="Describe"/> could say it plainly.
    /// </summary>
    public static void CheckAll(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.GetService<IStartupValidator>()?.Validate();
    }

    /// <summary>What to tell the operator about a start that failed on a setting; null when the failure is something else.</summary>
    public static string? Describe(Exception exception)
    {
        var lines = exception switch
        {
            AggregateException several when several.InnerExceptions.All(e => Lines(e) is not null) => several.InnerExceptions.SelectMany(e => Lines(e)!).ToList(),
            _ => Lines(exception),
        };
        return lines is null ? null : string.Join(Environment.NewLine, lines.Distinct(StringComparer.Ordinal).Select(line => "PayTrack did not start: " + line));
    }

    private static List<string>? Lines(Exception exception) => exception switch
    {
        OptionsValidationException invalid => invalid.Failures.Select(f => Invalid(invalid.OptionsType, f)).ToList(),
        InvalidOperationException unreadable when Unreadable().Match(unreadable.Message) is { Success: true } match =>
            [Unreadable(match.Groups["value"].Value, match.Groups["key"].Value, match.Groups["type"].Value)],
        IOException { InnerException: Microsoft.AspNetCore.Connections.AddressInUseException } taken =>
            [$"{(AddressInUse().Match(taken.Message) is { Success: true } m ? m.Groups["address"].Value : "its address")} is already in use (another PayTrack, or another program, listens there). Stop it, or give another address with --urls or ASPNETCORE_URLS."],
        _ => null,
    };

    private static string Unreadable(string value, string key, string typeName)
    {
        var shown = value.Length > LongestValueShown ? value[..LongestValueShown] + "…" : value;
        return string.Create(CultureInfo.InvariantCulture, $"the setting {Named(key)} is \"{shown}\", which is not {Takes(typeName)}.");
    }

    /// <summary>A failed check's own sentence, with DataAnnotations' "The field X" made the setting's full name.</summary>
    private static string Invalid(Type optionsType, string failure)
    {
        var match = DataAnnotation().Match(failure);
        if (!match.Success)
        {
            return failure;
        }

        var member = match.Groups["member"].Value;
        var error = match.Groups["error"].Value;
        var key = optionsType.GetField("Section")?.GetValue(null) is string section ? $"{section}:{member}" : member;
        return error.Replace($"The field {member}", Named(key), StringComparison.Ordinal);
    }

    private static string Named(string key) => $"{key} (environment variable {key.Replace(":", "__", StringComparison.Ordinal)})";

    private static string Takes(string typeName) => typeName switch
    {
        "System.Int16" or "System.Int32" or "System.Int64" or "System.Byte" => "a whole number",
        "System.Decimal" or "System.Double" or "System.Single" => "a number",
        "System.Boolean" => "true or false",
        "System.TimeSpan" => "a length of time such as 00:05:00",
        "System.DateOnly" or "System.DateTime" or "System.DateTimeOffset" => "a date such as 2026-09-01",
        _ when typeof(SettingsProblems).Assembly.GetType(typeName) is { IsEnum: true } choice => "one of " + string.Join(", ", Enum.GetNames(choice)),
        _ => "a value PayTrack can read",
    };

    // The configuration binder's words for a value it cannot convert.
    [GeneratedRegex(@"^Failed to convert configuration value '(?<value>.*)' at '(?<key>[^']+)' to type '(?<type>[^']+)'\.", RegexOptions.Singleline, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Unreadable();

    // Kestrel's words for an address another process holds.
    [GeneratedRegex(@"^Failed to bind to address (?<address>\S+?):? address already in use", RegexOptions.None, matchTimeoutMilliseconds: 1000)]
    private static partial Regex AddressInUse();

    // Microsoft.Extensions.Options.DataAnnotations' words for a failed attribute.
    [GeneratedRegex(@"^DataAnnotation validation failed for '[^']*' members: '(?<member>[^']+)' with the error: '(?<error>.*)'\.$", RegexOptions.Singleline, matchTimeoutMilliseconds: 1000)]
    private static partial Regex DataAnnotation();
}
