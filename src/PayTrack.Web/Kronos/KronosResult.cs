using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace PayTrack.Web.Kronos;

// The client answers with results, not exceptions: every way a Kronos site can say no is an expected outcome that a
// job records in its history and a page shows to the user, so callers are made to handle each kind by the type.
// Exceptions stay for cancellation and for programming errors (invalid arguments).

/// <summary>Either a value or a typed <see cref="KronosFailure"/>.</summary>
public sealed class KronosResult<T>
{
    public KronosResult(T value)
    {
        Value = value;
    }

    public KronosResult(KronosFailure failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        Failure = failure;
    }

    public T? Value { get; }

    public KronosFailure? Failure { get; }

    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(Failure))]
    public bool Succeeded => Failure is null;

    public override string ToString() => Succeeded ? $"Success: {Value}" : $"Failure: {Failure}";
}

public enum KronosFailureKind
{
    /// <summary>401 on sign-in. Never retried: retrying could lock the user's real Kronos account.</summary>
    InvalidCredentials,

    /// <summary>The site sent its own single-sign-on page; PayTrack cannot sign in there.</summary>
    SingleSignOnRequired,

    /// <summary>The account lists no job.</summary>
    NoActiveJob,

    /// <summary>A 200 answer carrying {"error": {...}} instead of a timecard.</summary>
    TimecardError,

    /// <summary>An answer PayTrack cannot read; <see cref="KronosFailure.Where"/> says where it broke.</summary>
    MalformedAnswer,

    /// <summary>The site kept failing (timeouts, dropped connections, 429, 5xx) through every retry.</summary>
    Transient,

    /// <summary>Requests to this site are paused after repeated failures.</summary>
    CircuitOpen,

    /// <summary>The site asked to sign in again right after a fresh sign-in.</summary>
    SessionRejected,

    /// <summary>The site refused the request (403, 404, or another 4xx).</summary>
    Rejected,

    /// <summary>
    /// The site asked PayTrack to wait longer than <see cref="KronosOptions.MaxRetryAfter"/> (429 with Retry-After):
    /// <see cref="KronosFailure.RetryAt"/> says until when; nothing is sent to the account before then.
    /// </summary>
    AskedToWait,

    /// <summary>The address is local or private and <see cref="KronosOptions.AllowPrivateAddresses"/> is off.</summary>
    AddressRefused,
}

/// <summary>A failure with a message fit to show the user: no password, cookie or stack trace is ever part of it.</summary>
public sealed record KronosFailure(KronosFailureKind Kind, string Message)
{
    /// <summary>For malformed answers: the JSON path and position where reading stopped.</summary>
    public string? Where { get; init; }

    public int? HttpStatus { get; init; }

    /// <summary>The site's own error code, for a timecard error object.</summary>
    public string? SiteCode { get; init; }

    /// <summary>When to try again, if the site or the circuit breaker says.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>For <see cref="KronosFailureKind.AskedToWait"/>: the instant before which nothing may be sent (UTC).</summary>
    public DateTimeOffset? RetryAt { get; init; }

    /// <summary>For a timecard read: the inclusive date range that could not be read.</summary>
    public (DateOnly Start, DateOnly End)? Range { get; init; }

    /// <summary>Trying again later can help (after <see cref="RetryAt"/> when the site asked us to wait).</summary>
    public bool IsTransient => Kind is KronosFailureKind.Transient or KronosFailureKind.CircuitOpen or KronosFailureKind.AskedToWait;

    /// <summary>
    /// Worth reading the same thing again now, after a back-off: the site failed through every retry, or sent something
    /// unreadable. Not an open circuit (the site's requests are paused; asking again defeats the pause), nor a session
    /// refused right after signing in (reading again would sign in to the student's account again and again).
    /// </summary>
    internal bool IsWorthAnotherRead => Kind is KronosFailureKind.Transient or KronosFailureKind.MalformedAnswer or
        KronosFailureKind.TimecardError;

    /// <summary>
    /// This failure of a timecard read, naming the dates in words: "PayTrack could not read your Kronos timecard for
    /// 3 Sep 2023 to 2 Dec 2023 (3 tries): ...".
    /// </summary>
    internal KronosFailure ForRange(DateOnly start, DateOnly end, int tries)
    {
        if (Kind is KronosFailureKind.InvalidCredentials or KronosFailureKind.SingleSignOnRequired or KronosFailureKind.AskedToWait or KronosFailureKind.AddressRefused)
        {
            // About the account or the site, not these dates.
            return this with { Range = (start, end) };
        }

        var dates = start == end ? Day(start) : $"{Day(start)} to {Day(end)}";
        var attempts = tries > 1 ? $" after {tries} tries" : "";
        return this with { Range = (start, end), Message = $"PayTrack could not read your Kronos timecard for {dates}{attempts}. {Message}" };
    }

    internal static KronosFailure InvalidCredentials() =>
        new(KronosFailureKind.InvalidCredentials, "Kronos did not accept this username and password. PayTrack will not try them again until you change them.") { HttpStatus = 401 };

    internal static KronosFailure SingleSignOn(int status) =>
        new(KronosFailureKind.SingleSignOnRequired, "This Kronos site signs in through its own single-sign-on page, which PayTrack cannot use. Load a backup file instead.") { HttpStatus = status };

    internal static KronosFailure NoActiveJob() =>
        new(KronosFailureKind.NoActiveJob, "This Kronos account has no active job, so there is no timecard to read.");

    internal static KronosFailure TimecardError(KronosError? error)
    {
        var code = Trim(error?.Code, 40);
        var text = Trim(error?.Message, 200) ?? "no reason given";
        return new KronosFailure(KronosFailureKind.TimecardError, $"Kronos refused the timecard: {text}{(code is null ? "" : $" ({code})")}.") { SiteCode = code };
    }

    internal static KronosFailure Malformed(string what, JsonException exception)
    {
        var where = $"{exception.Path ?? "$"}, line {(exception.LineNumber ?? 0) + 1}, byte {(exception.BytePositionInLine ?? 0) + 1}";
        // Where it broke is for the server log; the user reads plain words.
        return new KronosFailure(KronosFailureKind.MalformedAnswer, $"Kronos sent {what} that PayTrack could not read. Nothing stored was changed.") { Where = where };
    }

    internal static KronosFailure Malformed(string what, string where, string problem) =>
        new(KronosFailureKind.MalformedAnswer, $"Kronos sent {what} that PayTrack could not read: {problem}. Nothing stored was changed.") { Where = where };

    internal static KronosFailure Transient(string why, int? status = null, TimeSpan? retryAfter = null) =>
        new(KronosFailureKind.Transient, $"Kronos is not answering properly right now ({why}). PayTrack will try again later.") { HttpStatus = status, RetryAfter = retryAfter };

    internal static KronosFailure CircuitOpen(TimeSpan? retryAfter) =>
        new(KronosFailureKind.CircuitOpen, "PayTrack paused its requests to this Kronos site after repeated failures and will try again shortly.") { RetryAfter = retryAfter };

    internal static KronosFailure SessionRejected() =>
        new(KronosFailureKind.SessionRejected, "Kronos asked PayTrack to sign in again right after it had signed in. The site may be changing its sign-in.");

    internal static KronosFailure Rejected(int status) =>
        new(KronosFailureKind.Rejected, $"Kronos refused the request (HTTP {status}).") { HttpStatus = status };

    internal static KronosFailure AskedToWait(DateTimeOffset until, string timeZone, DateTimeOffset now)
    {
        var zone = TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out var found) ? found : TimeZoneInfo.Utc;
        var local = TimeZoneInfo.ConvertTime(until, zone);
        var today = TimeZoneInfo.ConvertTime(now, zone).Date;
        var when = local.Date == today
            ? local.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture)
            : local.ToString("HH:mm 'on' ddd d MMM", System.Globalization.CultureInfo.InvariantCulture);
        return new KronosFailure(KronosFailureKind.AskedToWait, $"Kronos asked us to wait until {when}. PayTrack will ask again then, and not before.")
        {
            HttpStatus = 429,
            RetryAt = until,
            RetryAfter = until - now,
        };
    }

    internal static KronosFailure AddressRefused() =>
        new(KronosFailureKind.AddressRefused, "PayTrack does not connect to local or private network addresses. Check the Kronos address.");

    private static string Day(DateOnly day) => day.ToString("d MMM yyyy", System.Globalization.CultureInfo.InvariantCulture);

    private static string? Trim(string? text, int max) =>
        string.IsNullOrWhiteSpace(text) ? null : text.Length <= max ? text.Trim() : text[..max].Trim() + "…";
}
