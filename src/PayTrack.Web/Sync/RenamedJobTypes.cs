using Hangfire.Common;

namespace PayTrack.Web.Sync;

/// <summary>
/// Hangfire stores a job's type and its parameters' types by name. Jobs queued before the background jobs' folder was
/// renamed from Jobs to Sync (decision 0026) carry the old names, so those are read as today's and a job waiting across
/// an upgrade still runs.
/// </summary>
internal static class RenamedJobTypes
{
    private static readonly (string Old, string Current)[] Renames =
    [
        ("PayTrack.Web.Jobs.", "PayTrack.Web.Sync."),
        ("PayTrack.Web.Data.JobTrigger,", "PayTrack.Web.Data.SyncTrigger,"),
    ];

    public static Type Resolve(string typeName)
    {
        foreach (var (old, current) in Renames)
        {
            typeName = typeName.Replace(old, current, StringComparison.Ordinal);
        }

        return TypeHelper.DefaultTypeResolver(typeName);
    }
}
