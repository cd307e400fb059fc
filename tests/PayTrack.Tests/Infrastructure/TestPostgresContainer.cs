using System.Globalization;
using System.Security.Cryptography;
using Docker.DotNet.Models;
using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Configurations;
using DotNet.Testcontainers.Images;
using Npgsql;
using Testcontainers.PostgreSql;

namespace PayTrack.Tests.Infrastructure;

/// <summary>Where the suite's PostgreSQL comes from: PAYTRACK_TEST_DATABASE (auto, docker, local) and PAYTRACK_TEST_POSTGRES_IMAGE.</summary>
public enum TestDatabaseMode
{
    Auto,
    Docker,
    Local,
}

public sealed record TestDatabaseChoice(TestDatabaseMode Mode, string Image)
{
    /// <summary>The image docker-compose.yml runs, so the tests meet the same server.</summary>
    public const string DefaultImage = "postgres:17";

    public static TestDatabaseChoice FromEnvironment() =>
        Parse(Environment.GetEnvironmentVariable("PAYTRACK_TEST_DATABASE"), Environment.GetEnvironmentVariable("PAYTRACK_TEST_POSTGRES_IMAGE"));

    public static TestDatabaseChoice Parse(string? mode, string? image)
    {
        var value = mode?.Trim().ToLowerInvariant();
        var parsed = value switch
        {
            null or "" or "auto" => TestDatabaseMode.Auto,
            "docker" => TestDatabaseMode.Docker,
            "local" => TestDatabaseMode.Local,
            _ => throw new InvalidOperationException($"PAYTRACK_TEST_DATABASE is \"{value}\"; use auto, docker or local."),
        };
        return new TestDatabaseChoice(parsed, string.IsNullOrWhiteSpace(image) ? DefaultImage : image.Trim());
    }
}

/// <summary>
/// The suite's PostgreSQL in a Testcontainers container: a unique name, a random host port bound to 127.0.0.1 only,
/// data on tmpfs, labelled with the run that owns it. It is removed when the test process exits; containers of runs
/// that were killed are removed by the next run on this machine (Ryuk, Testcontainers' own reaper, is off: its
/// image cannot be pulled everywhere).
/// </summary>
internal sealed class TestPostgresContainer : IDisposable
{
    private readonly DockerEngine _engine;
    private readonly string _containerId;
    private readonly string _baseConnectionString;

    private TestPostgresContainer(DockerEngine engine, string containerId, string baseConnectionString, string description)
    {
        _engine = engine;
        _containerId = containerId;
        _baseConnectionString = baseConnectionString;
        Description = description;
    }

    public string Description { get; }

    public string ContainerId => _containerId;

    public string ConnectionString(string database) => new NpgsqlConnectionStringBuilder(_baseConnectionString) { Database = database }.ConnectionString;

    /// <summary>The container, or null and the reason Docker cannot be used (auto mode then falls back).</summary>
    public static async Task<(TestPostgresContainer? Container, string WhyNot)> TryStartAsync(TestDatabaseChoice choice)
    {
        var engine = DockerEngine.FromEnvironment();
        if (engine is null)
        {
            return (null, "DOCKER_HOST is not a Unix socket; the tests use a local engine only");
        }

        var api = await engine.ApiVersionAsync(TimeSpan.FromSeconds(3));
        if (api is null)
        {
            engine.Dispose();
            return (null, $"no Docker engine answered at {engine.SocketPath}");
        }

        // Testcontainers speaks API 1.44 unless told otherwise; an older engine (20.10 speaks 1.41) refuses it.
        // Read once, when Testcontainers' settings load, so it is set before anything of Testcontainers runs.
        if (Environment.GetEnvironmentVariable("DOCKER_API_VERSION") is null && api < new System.Version(1, 44))
        {
            Environment.SetEnvironmentVariable("DOCKER_API_VERSION", api.ToString(2));
        }

        try
        {
            var removed = await engine.RemoveAbandonedAsync();
            if (removed > 0)
            {
                TestRunLog.Write($"Removed {removed} PostgreSQL container(s) left by test runs that were killed.");
            }

            var present = await engine.ImageExistsAsync(choice.Image);
            if (!present && choice.Mode == TestDatabaseMode.Auto)
            {
                engine.Dispose();
                return (null, $"the image {choice.Image} is not on this Docker engine (auto mode never pulls; `docker pull {choice.Image}`)");
            }

            return (await StartAsync(engine, choice.Image, pull: !present), "");
        }
        catch (Exception e) when (choice.Mode == TestDatabaseMode.Auto && e is not OutOfMemoryException)
        {
            engine.Dispose();
            return (null, $"the container did not start ({e.GetType().Name}: {FirstLine(e.Message)})");
        }
    }

    private static async Task<TestPostgresContainer> StartAsync(DockerEngine engine, string image, bool pull)
    {
        // Containers bind their ports on 127.0.0.1 and the tests connect there: traffic stays on loopback.
        TestcontainersSettings.ResourceReaperEnabled = false;
        TestcontainersSettings.DockerHostOverride = "127.0.0.1";

        var name = "paytrack-tests-" + Guid.NewGuid().ToString("N")[..12];
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var container = new PostgreSqlBuilder(image)
            .WithName(name)
            .WithPassword(password)
            .WithLabel(DockerEngine.OwnerLabel, DockerEngine.CurrentOwner)
            .WithImagePullPolicy(pull ? PullPolicy.Missing : PullPolicy.Never)
            .WithTmpfsMount("/var/lib/postgresql/data")
            .WithCommand("-c", $"max_connections={TestCluster.MaxConnections.ToString(CultureInfo.InvariantCulture)}")
            .WithCreateParameterModifier(BindToLoopback)
            .Build();

        var started = DateTime.UtcNow;
        try
        {
            await container.StartAsync();
        }
        catch
        {
            engine.Remove(name);
            throw;
        }

        var seconds = (DateTime.UtcNow - started).TotalSeconds;
        var description = string.Create(CultureInfo.InvariantCulture,
            $"a Docker container, image {image}, named {name}, on 127.0.0.1:{container.GetMappedPublicPort(PostgreSqlBuilder.PostgreSqlPort)} (ready in {seconds:0.0} s)");
        return new TestPostgresContainer(engine, container.Id, container.GetConnectionString(), description);
    }

    private static void BindToLoopback(CreateContainerParameters parameters)
    {
        foreach (var bindings in parameters.HostConfig?.PortBindings?.Values ?? [])
        {
            foreach (var binding in bindings ?? [])
            {
                binding.HostIP = "127.0.0.1";
            }
        }
    }

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();

    public void Dispose()
    {
        _engine.Remove(_containerId);
        _engine.Dispose();
    }
}
