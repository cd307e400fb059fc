using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using PayTrack.Web.Operations;

namespace PayTrack.Web.Timecards;

public static class TimecardsExtensions
{
    /// <summary>Multipart framing and the form's other fields around the file.</summary>
    private const long FormOverhead = 64 * 1024;

    public static WebApplicationBuilder AddTimecards(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<TimecardOptions>()
            .BindConfiguration(TimecardOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => ShiftBuilder.IsKnownZone(o.DefaultTimeZone), "PayTrack:Timecards:DefaultTimeZone must be an IANA time zone such as America/New_York.")
            .ValidateOnStart();
        builder.Services.AddSingleton<TimecardDatabase>();
        builder.Services.AddScoped<TimecardIngest>();
        builder.Services.AddScoped<ManualShifts>();
        builder.Services.AddScoped<BackupService>();
        builder.Services.AddScoped<ShiftQueries>();
        builder.Services.AddScoped<KronosConnections>();
        return builder;
    }

    public static IEndpointRouteBuilder MapTimecards(this IEndpointRouteBuilder endpoints)
    {
        var limit = endpoints.ServiceProvider.GetRequiredService<Microsoft.Extensions.Options.IOptions<TimecardOptions>>().Value.MaxBackupBytes;
        var backup = endpoints.MapGroup("/settings/backup").RequireAuthorization();

        // The size check runs before the antiforgery check, which would otherwise read an oversized body first.
        backup.MapPost("/import", ImportAsync)
            .AddEndpointFilter(async (context, next) =>
                context.HttpContext.Request.ContentLength > limit + FormOverhead
                    ? TypedResults.LocalRedirect("~/settings?importError=too-large#backup")
                    : await next(context))
            .RequireAntiforgeryToken()
            .WithMetadata(new RequestSizeLimitAttribute(limit + FormOverhead))
            .WithFormOptions(multipartBodyLengthLimit: limit + FormOverhead);

        backup.MapGet("/export", (HttpContext http, BackupService backups, DateOnly? from, DateOnly? to) =>
            TypedResults.Stream(
                stream => backups.ExportBackupAsync(UserId(http), stream, from, to, http.RequestAborted),
                "application/json",
                $"paytrack-backup-{FileDate(http)}.json"));

        backup.MapGet("/export.csv", (HttpContext http, BackupService backups, DateOnly? from, DateOnly? to) =>
            TypedResults.Stream(
                stream => backups.ExportCsvAsync(UserId(http), stream, from, to, http.RequestAborted),
                "text/csv; charset=utf-8",
                $"paytrack-shifts-{FileDate(http)}.csv"));
        return endpoints;
    }

    private static async Task<RedirectHttpResult> ImportAsync(HttpContext http, BackupService backups, CancellationToken cancellationToken)
    {
        IFormFile? file;
        try
        {
            var form = await http.Request.ReadFormAsync(cancellationToken);
            file = form.Files.GetFile("file");
        }
        catch (InvalidDataException)
        {
            return TypedResults.LocalRedirect("~/settings?importError=too-large#backup");
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TypedResults.LocalRedirect("~/settings?importError=too-large#backup");
        }

        if (file is null || file.Length == 0)
        {
            return TypedResults.LocalRedirect("~/settings?importError=no-file#backup");
        }

        await using var stream = file.OpenReadStream();
        var result = await backups.ImportAsync(UserId(http), stream, cancellationToken);
        return TypedResults.LocalRedirect(string.Create(CultureInfo.InvariantCulture, $"~/settings?import={result.BatchId}#backup"));
    }

    private static string UserId(HttpContext http) =>
        http.User.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("An authorized request without a user id.");

    private static string FileDate(HttpContext http) =>
        http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
