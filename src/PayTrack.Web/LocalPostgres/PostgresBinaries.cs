using System.Diagnostics;

namespace PayTrack.Web.LocalPostgres;

/// <summary>Finds the PostgreSQL server programs (initdb, pg_ctl) on this machine.</summary>
public static class PostgresBinaries
{
    public const string NotFoundMessage =
        "PayTrack could not find PostgreSQL: install the PostgreSQL server (it provides initdb and pg_ctl), or set ConnectionStrings__PayTrack to an existing database.";

    /// <summary>The folder holding both initdb and pg_ctl, or null when there is none.</summary>
    public static string? Find(string? configured)
    {
        foreach (var candidate in Candidates(configured))
        {
            if (HasServer(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static IEnumerable<string> Candidates(string? configured)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            yield return configured;
            yield break;
        }

        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            yield return dir;
        }

        var fromPgConfig = PgConfigBinDir();
        if (fromPgConfig is not null)
        {
            yield return fromPgConfig;
        }

        foreach (var root in new[] { "/usr/lib/postgresql", "/usr/local/opt/postgresql", "/opt/homebrew/opt" })
        {
            if (!Directory.Exists(root))
            {
                continue;
            }

            // Newest major version first: /usr/lib/postgresql/17/bin before 15/bin.
            var versions = Directory.GetDirectories(root)
                .OrderByDescending(d => int.TryParse(Path.GetFileName(d), System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : -1);
            foreach (var version in versions)
            {
                yield return Path.Combine(version, "bin");
            }
        }
    }

    private static bool HasServer(string dir)
    {
        var exe = OperatingSystem.IsWindows() ? ".exe" : "";
        return File.Exists(Path.Combine(dir, "initdb" + exe)) && File.Exists(Path.Combine(dir, "pg_ctl" + exe));
    }

    private static string? PgConfigBinDir()
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("pg_config", "--bindir")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (process is null)
            {
                return null;
            }

            var output = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit(5000);
            return process.ExitCode == 0 && output.Length > 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
