namespace PayTrack.Web;

internal static class ContentRoot
{
    /// <summary>
    /// The folder holding appsettings.json and wwwroot: the current folder when it has them (dotnet run, Docker's
    /// WORKDIR), otherwise the folder of PayTrack.Web.dll, so `dotnet /opt/paytrack/PayTrack.Web.dll` works from anywhere.
    /// </summary>
    public static string Find()
    {
        var current = Directory.GetCurrentDirectory();
        return File.Exists(Path.Combine(current, "appsettings.json")) ? current : AppContext.BaseDirectory;
    }
}
