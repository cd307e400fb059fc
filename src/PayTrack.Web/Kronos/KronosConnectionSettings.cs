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

    public string LoginPath { get; init; } = "login";

    /// <summary>Placeholder: {username}.</summary>
    public string EmployeePath { get; init; } = "rest/employeebyusername/{username}";

    /// <summary>Placeholders: {employeeid}, {payruleid}, {start}, {end} (dates as YYYY-MM-DD).</summary>
    public string TimecardPath { get; init; } = "rest/timecard/{employeeid}/{payruleid}/{start}/{end}";

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

    internal Uri LoginUrl() => Combine(LoginPath);

    internal Uri EmployeeUrl() => Combine(EmployeePath.Replace("{username}", Uri.EscapeDataString(Username), StringComparison.Ordinal));

    internal Uri TimecardUrl(long employeeId, long payRuleId, DateOnly start, DateOnly end) => Combine(TimecardPath
        .Replace("{employeeid}", employeeId.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("{payruleid}", payRuleId.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("{start}", start.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("{end}", end.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));

    private Uri Combine(string path) => new(BaseUrl.TrimEnd('/') + "/" + path.TrimStart('/'), UriKind.Absolute);

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

/// <summary>One job's punches for an inclusive date range, in the site's pay periods.</summary>
public sealed record KronosTimecard(KronosJobKey Job, DateOnly Start, DateOnly End, IReadOnlyList<TimecardPeriod> Periods);

/// <summary>A successful sign-in.</summary>
public sealed record KronosSignedIn(string Username, DateTimeOffset At);
