using PayTrack.Web.Connections;
using PayTrack.Web.Dashboard;
using PayTrack.Web.Data;

namespace PayTrack.Web.Components.Pages.Settings;

/// <summary>How the Kronos connection is doing, in the words the settings page uses.</summary>
public static class KronosStatus
{
    public static string Text(KronosConnection connection, DateTimeOffset now) => connection.Status switch
    {
        KronosConnectionStatus.Ok => connection.LastSuccessfulSyncAt is { } at ? $"working; last read {Format.Ago(at, now)}." : "working.",
        KronosConnectionStatus.Failing => $"the last attempt failed: {connection.LastError}",
        KronosConnectionStatus.CredentialsRejected => "Kronos refused the password. Enter it again below to resume reading.",
        _ => "saved, not read yet.",
    };
}
