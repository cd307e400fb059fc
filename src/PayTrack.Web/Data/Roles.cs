namespace PayTrack.Web.Data;

/// <summary>The Identity roles PayTrack knows. Admins run jobs for any user and open the Hangfire Dashboard.</summary>
public static class Roles
{
    public const string Admin = "Admin";
}
