namespace PayTrack.Web;

internal static class ContentRoot
{
    /// <summary>
    /// Null (the host's default: the current folder, or what --contentRoot and test hosts say) when the current
    /// folder has appsettings.json, as with dotnet run and Docker's WORKDIR; otherwise the folder of
    /// PayTrack.Web.dll, so that `dotnet /opt/paytrack/PayTrack.Web.dll` works from anywhere.
    /// </summary>
    public static string? Find() =>
        File.Exists(Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json")) ? null : AppContext.BaseDirectory;
}
