using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Npgsql;

namespace PayTrack.Web.LocalPostgres;

/// <summary>
/// A private PostgreSQL cluster in a folder of PayTrack's own: created with initdb on first use,
/// started on a free 127.0.0.1 port, stopped again by <see cref="StopAsync"/>.
/// The test suite uses the same class for its throwaway cluster.
/// </summary>
public sealed partial class LocalPostgresServer : IAsyncDisposable
{
    private const string SuperUser = "paytrack";
    private readonly string _binDir;
    private readonly string _root;
    private readonly ILogger _logger;
    private readonly bool _asPostgresUser;
    private bool _owned;

    private LocalPostgresServer(string binDir, string root, ILogger logger)
    {
        _binDir = binDir;
        _root = root;
        _logger = logger;
        _asPostgresUser = OperatingSystem.IsLinux() && Environment.IsPrivilegedProcess;
    }

    public string DataDirectory => Path.Combine(_root, "pgdata");

    public int Port { get; private set; }

    private string PasswordFile => Path.Combine(_root, "password");

    private string OwnerFile => Path.Combine(_root, "owner.pid");

    /// <summary>Starts (creating if needed) the cluster in the configured folder and makes sure the database exists.</summary>
    public static async Task<LocalPostgresServer> StartAsync(LocalPostgresOptions options, ILogger logger, CancellationToken cancellationToken = default)
    {
        var binDir = PostgresBinaries.Find(options.BinDirectory)
            ?? throw new LocalPostgresException(PostgresBinaries.NotFoundMessage);
        var root = Path.GetFullPath(string.IsNullOrWhiteSpace(options.DataDirectory) ? LocalPostgresOptions.DefaultDataDirectory() : options.DataDirectory);
        var server = new LocalPostgresServer(binDir, root, logger);
        await server.StartCoreAsync(options, cancellationToken);
        await server.EnsureDatabaseAsync(options.Database, cancellationToken);
        return server;
    }

    public string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = SuperUser,
        Password = File.ReadAllText(PasswordFile).Trim(),
        Database = database,
    }.ConnectionString;

    public async Task EnsureDatabaseAsync(string database, CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync(cancellationToken);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
        exists.Parameters.AddWithValue("name", database);
        if (await exists.ExecuteScalarAsync(cancellationToken) is null)
        {
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>Stops the server if this process started or adopted it; leaves another live PayTrack's server alone.</summary>
    public async Task StopAsync()
    {
        if (!_owned)
        {
            return;
        }

        _owned = false;
        var result = await RunAsync("pg_ctl", ["stop", "-D", DataDirectory, "-m", "fast", "-w", "-t", "60"], CancellationToken.None);
        if (result.ExitCode != 0)
        {
            LogStopFailed(_logger, result.Output);
        }
        else
        {
            LogStopped(_logger, DataDirectory);
        }

        TryDelete(OwnerFile);
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private async Task StartCoreAsync(LocalPostgresOptions options, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(_root);
        if (_asPostgresUser && OperatingSystem.IsLinux())
        {
            // The server runs as the postgres user, which must be able to reach pgdata below this folder.
            File.SetUnixFileMode(_root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        }

        if (!File.Exists(Path.Combine(DataDirectory, "PG_VERSION")))
        {
            await InitDbAsync(cancellationToken);
        }

        var status = await RunAsync("pg_ctl", ["status", "-D", DataDirectory], cancellationToken);
        if (status.ExitCode == 0 && ReadRunningPort() is { } runningPort)
        {
            // A server is already running on this folder: left by a PayTrack that crashed, or owned by one still alive.
            Port = runningPort;
            _owned = !OwnerIsAlive();
            if (_owned)
            {
                await File.WriteAllTextAsync(OwnerFile, Environment.ProcessId.ToString(CultureInfo.InvariantCulture), cancellationToken);
            }

            LogReused(_logger, Port, _owned);
            return;
        }

        var pidFile = Path.Combine(DataDirectory, "postmaster.pid");
        if (File.Exists(pidFile))
        {
            LogStalePid(_logger, pidFile);
            TryDelete(pidFile);
        }

        Port = options.Port > 0 ? options.Port : FreePort();
        var serverOptions = $"-p {Port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=''";
        if (options.MaxConnections > 0)
        {
            serverOptions += string.Create(CultureInfo.InvariantCulture, $" -c max_connections={options.MaxConnections}");
        }
        var logFile = Path.Combine(DataDirectory, "paytrack-server.log");
        var start = await RunAsync("pg_ctl", ["start", "-D", DataDirectory, "-w", "-t", "60", "-l", logFile, "-o", serverOptions], cancellationToken);
        if (start.ExitCode != 0)
        {
            throw new LocalPostgresException($"PostgreSQL did not start in {DataDirectory}: {start.Output.Trim()} (see {logFile}).");
        }

        _owned = true;
        await File.WriteAllTextAsync(OwnerFile, Environment.ProcessId.ToString(CultureInfo.InvariantCulture), cancellationToken);
        LogStarted(_logger, Port, DataDirectory);
    }

    private async Task InitDbAsync(CancellationToken cancellationToken)
    {
        LogInitDb(_logger, DataDirectory);
        Directory.CreateDirectory(DataDirectory);
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
        await File.WriteAllTextAsync(PasswordFile, password, cancellationToken);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(PasswordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        // initdb reads the password from a file the server's user can read; it lives only for this call.
        var pwFile = Path.Combine(_root, "initdb-password");
        await File.WriteAllTextAsync(pwFile, password, cancellationToken);
        try
        {
            if (_asPostgresUser)
            {
                await ChownToPostgresAsync(DataDirectory, cancellationToken);
                await ChownToPostgresAsync(pwFile, cancellationToken);
            }

            var result = await RunAsync("initdb", ["-D", DataDirectory, "-U", SuperUser, "--auth=scram-sha-256", $"--pwfile={pwFile}", "-E", "UTF8", "--locale=C"], cancellationToken);
            if (result.ExitCode != 0)
            {
                throw new LocalPostgresException($"initdb failed for {DataDirectory}: {result.Output.Trim()}");
            }
        }
        finally
        {
            TryDelete(pwFile);
        }
    }

    private static async Task ChownToPostgresAsync(string path, CancellationToken cancellationToken)
    {
        var result = await RunProcessAsync("chown", ["-R", "postgres:", path], cancellationToken);
        if (result.ExitCode != 0)
        {
            throw new LocalPostgresException($"PayTrack runs as root, so its database runs as the 'postgres' user, but {path} could not be given to that user: {result.Output.Trim()}");
        }
    }

    private int? ReadRunningPort()
    {
        // postmaster.pid: line 1 the PID, line 4 the port.
        var pidFile = Path.Combine(DataDirectory, "postmaster.pid");
        try
        {
            var lines = File.ReadAllLines(pidFile);
            return lines.Length > 3 && int.TryParse(lines[3], CultureInfo.InvariantCulture, out var p) ? p : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private bool OwnerIsAlive()
    {
        if (!File.Exists(OwnerFile) || !int.TryParse(File.ReadAllText(OwnerFile).Trim(), CultureInfo.InvariantCulture, out var pid) || pid == Environment.ProcessId)
        {
            return false;
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private Task<ProcessResult> RunAsync(string program, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var exe = Path.Combine(_binDir, program);
        return _asPostgresUser
            ? RunProcessAsync("runuser", ["-u", "postgres", "--", exe, .. arguments], cancellationToken)
            : RunProcessAsync(exe, arguments, cancellationToken);
    }

    private static async Task<ProcessResult> RunProcessAsync(string fileName, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        // The server must not inherit a locale or a PG* variable that points it elsewhere.
        info.Environment.Remove("PGDATA");
        info.Environment.Remove("PGPORT");
        info.Environment["LC_ALL"] = "C";

        using var process = new Process { StartInfo = info };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new LocalPostgresException($"Could not run {fileName}: {ex.Message}");
        }

        // pg_ctl start leaves the server holding inherited pipes, so read only until pg_ctl itself exits.
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        var output = await WithinAsync(stdout) + await WithinAsync(stderr);
        return new ProcessResult(process.ExitCode, output);
    }

    private static async Task<string> WithinAsync(Task<string> read)
    {
        var done = await Task.WhenAny(read, Task.Delay(TimeSpan.FromSeconds(2)));
        return done == read ? await read : "";
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private readonly record struct ProcessResult(int ExitCode, string Output);

    [LoggerMessage(Level = LogLevel.Information, Message = "Creating PayTrack's private PostgreSQL cluster in {DataDirectory}")]
    private static partial void LogInitDb(ILogger logger, string dataDirectory);

    [LoggerMessage(Level = LogLevel.Information, Message = "Private PostgreSQL started on 127.0.0.1:{Port} ({DataDirectory})")]
    private static partial void LogStarted(ILogger logger, int port, string dataDirectory);

    [LoggerMessage(Level = LogLevel.Information, Message = "Private PostgreSQL already running on 127.0.0.1:{Port}; adopted: {Adopted}")]
    private static partial void LogReused(ILogger logger, int port, bool adopted);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Removing a stale {PidFile} left by a crash")]
    private static partial void LogStalePid(ILogger logger, string pidFile);

    [LoggerMessage(Level = LogLevel.Information, Message = "Private PostgreSQL stopped ({DataDirectory})")]
    private static partial void LogStopped(ILogger logger, string dataDirectory);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Private PostgreSQL did not stop cleanly: {Output}")]
    private static partial void LogStopFailed(ILogger logger, string output);
}

public sealed class LocalPostgresException(string message) : Exception(message);
