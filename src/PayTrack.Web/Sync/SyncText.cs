using System.Globalization;
using PayTrack.Web.Data;

namespace PayTrack.Web.Sync;

/// <summary>The words pages, events and the command line use for runs, in one place so they agree.</summary>
public static class SyncText
{
    public static string Kind(SyncKind kind, bool sweep = false) => kind switch
    {
        SyncKind.Catchup => "Full history (catchup)",
        _ when sweep => "Update-punches, every user",
        _ => "Update-punches",
    };

    public static string Trigger(SyncTrigger trigger) => trigger switch
    {
        SyncTrigger.Schedule => "schedule",
        SyncTrigger.User => "user",
        SyncTrigger.Admin => "admin",
        _ => "command",
    };

    public static string Status(SyncStatus status) => status switch
    {
        SyncStatus.Queued => "Queued",
        SyncStatus.Running => "Running",
        SyncStatus.Succeeded => "Succeeded",
        SyncStatus.Failed => "Failed",
        SyncStatus.Rejected => "Rejected",
        _ => "Skipped",
    };

    public static string Progress(SyncEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var c = CultureInfo.InvariantCulture;
        var isSweep = e.Sweep;
        var steps = isSweep
            ? string.Create(c, $"{e.Done:N0} of {e.Total:N0} users") + (e.Failed > 0 ? string.Create(c, $", {e.Failed:N0} failed") : "")
            : string.Create(c, $"{e.Done:N0} of {e.Total:N0} date ranges");
        return e.Status switch
        {
            "queued" => e.Error ?? "Waiting for a free worker…",
            "running" when e.Total == 0 => "Reading the job list…",
            "running" => steps + string.Create(c, $" · {e.Punches:N0} punches") + (e.Range is null || isSweep ? "" : " · reading " + e.Range),
            "succeeded" => "Done: " + steps + string.Create(c, $" · {e.Punches:N0} punches ({e.New:N0} new, {e.Changed:N0} changed, {e.Unchanged:N0} unchanged)"),
            _ => e.Error ?? "Stopped.",
        };
    }

    public static string Counts(int fetched, int @new, int changed, int unchanged) =>
        string.Create(CultureInfo.InvariantCulture, $"{fetched:N0} fetched: {@new:N0} new, {changed:N0} changed, {unchanged:N0} unchanged");

    /// <summary>The sentence for a notice code a button's redirect carries; null for none or an unknown one.</summary>
    public static string? Notice(string? code, bool forAdmin) => code switch
    {
        "catchup-started" => forAdmin ? "Catchup started. Its progress shows under Running now." : "Full-history sync started. Its progress shows below.",
        "catchup-already" => forAdmin
            ? "A catchup is already running or waiting for this user. It was not started twice."
            : "A full-history sync is already running for your account. It was not started twice.",
        "no-connection" => forAdmin ? "That user has no Kronos connection yet, so there is nothing to sync." : "Connect your Kronos account in Settings first.",
        "credentials-rejected" => forAdmin
            ? "Kronos rejected that user's saved password. PayTrack will not try it again until they save new credentials."
            : "Kronos rejected your saved password. Save new credentials in Settings first.",
        "sync-now-started" => "Sync started: PayTrack is reading your recent punches from Kronos.",
        "sync-now-already" => "A sync is already running for your account. Nothing more was started; wait for it to finish.",
        "bad-request" => "That request did not come from a PayTrack page, so nothing was started.",
        "update-started" when forAdmin => "Update-punches started for every user with a working connection.",
        _ => null,
    };
}
