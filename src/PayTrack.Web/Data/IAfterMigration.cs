namespace PayTrack.Web.Data;

/// <summary>
/// Work that needs the migrated schema and must be done before the web server takes requests, such as creating the
/// first admin. A feature registers it; <see cref="DatabaseMigrator"/> runs every one, so Data/ imports no feature.
/// </summary>
public interface IAfterMigration
{
    Task RunAsync(CancellationToken cancellationToken);
}
