namespace PayTrack.Web.Operations;

/// <summary>
/// Return URLs come from the query string: only a local path of printable ASCII is followed, to prevent open
/// redirects, and so that a tab or a non-ASCII character never reaches a Location header (which would fail the answer).
/// </summary>
public static class LocalUrl
{
    public static string OrHome(string? url) => IsLocal(url) ? url! : "/";

    public static bool IsLocal(string? url) =>
        !string.IsNullOrEmpty(url) && url.Length <= 2048 && url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal)
        && !url.Contains('\\', StringComparison.Ordinal) && url.All(c => c is > ' ' and < (char)127);
}
