// Generates an EF Core migration for PayTrack.Web without the dotnet-ef tool:
//   dotnet run --project tools/ef-design -- AddSomething
// The migration is written to src/PayTrack.Web/Data/Migrations, with the updated model snapshot.
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Migrations.Design;
using Microsoft.Extensions.DependencyInjection;
using Npgsql.EntityFrameworkCore.PostgreSQL.Design.Internal;
using PayTrack.Web.Data;

if (args.Length != 1)
{
    Console.Error.WriteLine("usage: dotnet run --project tools/ef-design -- MigrationName");
    return 2;
}

var projectDir = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../src/PayTrack.Web"));
var options = new DbContextOptionsBuilder<PayTrackDbContext>().UseNpgsql("Host=unused").Options;
await using var db = new PayTrackDbContext(options);

var services = new ServiceCollection()
    .AddEntityFrameworkDesignTimeServices()
    .AddDbContextDesignTimeServices(db);
#pragma warning disable EF1001 // Npgsql's design-time services are public but marked internal; this is what dotnet-ef calls.
new NpgsqlDesignTimeServices().ConfigureDesignTimeServices(services);
#pragma warning restore EF1001
await using var provider = services.BuildServiceProvider();

var scaffolder = provider.GetRequiredService<IMigrationsScaffolder>();
var migration = scaffolder.ScaffoldMigration(args[0], "PayTrack.Web", "Data.Migrations", "C#");
var files = scaffolder.Save(projectDir, migration, Path.Combine(projectDir, "Data", "Migrations"));
Console.WriteLine($"Wrote {files.MigrationFile}");
return 0;
