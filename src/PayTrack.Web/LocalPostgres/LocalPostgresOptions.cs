namespace PayTrack.Web.LocalPostgres;

/// <summary>Settings of the private PostgreSQL cluster PayTrack runs when no connection string is configured.</summary>
public sealed class LocalPostgresOptions
{
    public const string Section = "PayTrack:LocalPostgres";

    /// <summary>Folder holding the cluster (pgdata/) and its password file. Empty means the default for this user.</summary>
    public string? DataDirectory { get; set; }

    /// <summary>Folder with initdb and pg_ctl. Empty means: search PATH, pg_config --bindir, /usr/lib/postgresql/*/bin.</summary>
    public string? BinDirectory { get; set; }

    /// <summary>TCP port on 127.0.0.1; 0 picks a free one at each start.</summary>
    public int Port { get; set; }

    public string Database { get; set; } = "paytrack";

    /// <summary>The server's max_connections; 0 keeps PostgreSQL's default (100).</summary>
    public int MaxConnections { get; set; }

    public static string DefaultDataDirectory()
    {
        // root's home is closed to the postgres user the server runs as, so root uses a system folder.
        if (Environment.IsPrivilegedProcess && OperatingSystem.IsLinux())
        {
            return "/var/lib/paytrack";
        }

        return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "PayTrack");
    }
}
