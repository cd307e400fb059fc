namespace PayTrack.Web.Kronos;

/// <summary>
/// One Kronos account on one site. Where a real site differs from the contract, the difference is a setting here
/// (paths, cookie name, time zone), never a fork of the client.
/// </summary>
public sealed record KronosConnectionSettings
{
    /// <summary>For example https://timecard.example.edu/api.</summary>
    public required string BaseUrl { get; init; }

    public required string Username { get; init; }

    public required string Password { get; init; }

    // The contract's paths, as IKronosApi declares them.
    internal const string DefaultLoginPath = "login";
    internal const string DefaultEmployeePath = "rest/employeebyusername/{username}";
    internal const string DefaultTimecardPath = "rest/timecard/{employeeid}/{payruleid}/{start}/{end}";

    public string LoginPath { get; init; } = DefaultLoginPath;

    /// <summary>Placeholder: {username}.</summary>
    public string EmployeePath { get; init; } = DefaultEmployeePath;

    /// <summary>Placeholders: {employeeid}, {payruleid}, {start}, {end} (dates as YYYY-MM-DD).</summary>
    public string TimecardPath { get; init; } = DefaultTimecardPath;

    public string CookieName { get; init; } = "JSESSIONID";

    /// <summary>IANA zone of punches that carry none.</summary>
    public string TimeZone { get; init; } = "America/New_York";

    /// <summary>What is wrong with these settings, or null. The password is never part of the answer.</summary>
    public string? Problem()
    {
        if (!Uri.TryCreate(BaseUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            return "The Kronos address must be a full http:// or https:// URL.";
        }

        if (string.IsNullOrWhiteSpace(Username) || string.IsNullOrEmpty(Password))
        {
            return "The Kronos username and password are required.";
        }

        if (string.IsNullOrWhiteSpace(CookieName) || CookieName.IndexOfAny([';', '=', ' ', ',']) >= 0)
        {
            return "The session cookie name is not a valid cookie name.";
        }

        if (!TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out _))
        {
            return $"'{TimeZone}' is not a known time zone.";
        }

        return null;
    }

    /// <summary>
    /// The URL a request built by <see cref="IKronosApi"/> (on the contract's paths) goes to on this connection: the same
    /// URL, or, where the connection names its own path for that endpoint, that path with the same values filled in.
    /// </summary>
    internal Uri Route(Uri url)
    {
        var basePath = new Uri(BaseUrl.TrimEnd('/') + "/", UriKind.Absolute).AbsolutePath;
        if (!url.AbsolutePath.StartsWith(basePath, StringComparison.Ordinal))
        {
            return url;
        }

        var relative = url.AbsolutePath[basePath.Length..];
        foreach (var (contract, own) in (ReadOnlySpan<(string, string)>)[(DefaultLoginPath, LoginPath), (DefaultEmployeePath, EmployeePath), (DefaultTimecardPath, TimecardPath)])
        {
            if (!string.Equals(contract, own.Trim('/'), StringComparison.Ordinal) && Match(contract, relative) is { } values)
            {
                var path = values.Aggregate(own.TrimStart('/'), (text, value) => text.Replace(value.Key, value.Value, StringComparison.Ordinal));
                return new Uri(BaseUrl.TrimEnd('/') + "/" + path + url.Query, UriKind.Absolute);
            }
        }

        return url;
    }

    /// <summary>The placeholder values of <paramref name="path"/> (segments still escaped) if it has the template's shape.</summary>
    private static Dictionary<string, string>? Match(string template, string path)
    {
        var names = template.Split('/');
        var segments = path.Split('/');
        if (names.Length != segments.Length)
        {
            return null;
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < names.Length; i++)
        {
            if (names[i].StartsWith('{'))
            {
                values[names[i]] = segments[i];
            }
            else if (!string.Equals(names[i], segments[i], StringComparison.Ordinal))
            {
                return null;
            }
        }

        return values;
    }

    // The generated ToString would print the password into any log that formats these settings.
    public override string ToString() => $"Kronos {BaseUrl} as {Username}";
}

/// <summary>A job's timecard key, from the employee list or from storage.</summary>
public sealed record KronosJobKey(long EmployeeId, long PayRuleId)
{
    public static KronosJobKey From(EmployeeJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return new KronosJobKey(job.EmployeeId, job.PayRuleId);
    }
}

/// <summary>A successful sign-in.</summary>
public sealed record KronosSignedIn(string Username, DateTimeOffset At);
