namespace PayTrack.Web.Data;

/// <summary>The waits between tries at a database that refused for now: each twice the last, up to a longest.</summary>
public static class DatabaseBackoff
{
    public static TimeSpan Next(TimeSpan wait, TimeSpan longest) => wait * 2 < longest ? wait * 2 : longest;
}
