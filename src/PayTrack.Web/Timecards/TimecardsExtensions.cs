using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using PayTrack.Web.Data;
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
            .Validate(o => CleaningRules.IsKnownZone(o.DefaultTimeZone), "PayTrack:Timecards:DefaultTimeZone must be an IANA time zone such as America/New_York.")
            .ValidateOnStart();
        builder.Services.AddSingleton<TimecardDatabase>();
        builder.Services.AddScoped<TimecardIngest>();
        builder.Services.AddScoped<ManualShifts>();
        builder.Services.AddSingleton<OutTimes>();
        builder.Services.AddScoped<BackupImport>();
        builder.Services.AddScoped<BackupExport>();
        builder.Services.AddScoped<CsvExport>();
        builder.Services.AddScoped<ShiftQueries>();
        return builder;
    }

    public static IEndpointRouteBuilder MapTimecards(this IEndpointRouteBuilder endpoints)
    {
        var limit = endpoints.ServiceProvider.GetRequiredService<Microsoft.Extensions.Options.IOptions<TimecardOptions>>().Value.MaxBackupBytes;
        var backup = endpoints.MapGroup("/settings/backup").RequireAuthorization();

        // The size check runs before the antiforgery check, which would otherwise read an oversized body first.
        backup.MapPost("/import", ImportAsync)
            .AddEndpointFilter(async (context, next) =>
                await WithinLimitAsync(context.HttpContext.Request, limit + FormOverhead)
                    ? await next(context)
                    : TypedResults.LocalRedirect("~/settings?importError=too-large#backup"))
            .RequireAntiforgeryToken()
            .WithMetadata(new RequestSizeLimitAttribute(limit + FormOverhead))
            .WithFormOptions(multipartBodyLengthLimit: limit + FormOverhead);

        backup.MapGet("/export", (HttpContext http, BackupExport export, string? from, string? to) =>
            Export(http, from, to, "application/json", "paytrack-backup", "json", (stream, f, t) => export.ExportAsync(UserId(http), stream, f, t, http.RequestAborted)));

        backup.MapGet("/export.csv", (HttpContext http, CsvExport csv, string? from, string? to) =>
            Export(http, from, to, "text/csv; charset=utf-8", "paytrack-shifts", "csv", (stream, f, t) => csv.ExportAsync(UserId(http), stream, f, t, http.RequestAborted)));
        return endpoints;
    }

    /// <summary>
    /// Whether the body fits the limit. A declared length says so at once; a streamed upload (no Content-Length) says
    /// so only by being read, so it is read here, into a buffer bounded by the limit, before the antiforgery check
    /// reads it (which would answer "page expired" instead of "too large").
    /// </summary>
    private static async Task<bool> WithinLimitAsync(HttpRequest request, long limit)
    {
        if (request.ContentLength is { } length)
        {
            return length <= limit;
        }

        request.EnableBuffering(bufferThreshold: 64 * 1024, bufferLimit: limit);
        try
        {
            await request.Body.CopyToAsync(Stream.Null, request.HttpContext.RequestAborted);
        }
        catch (IOException)
        {
            // Over the buffer's limit, or over the endpoint's request size limit (BadHttpRequestException is an IOException).
            return false;
        }

        request.Body.Position = 0;
        return true;
    }

    private static async Task<RedirectHttpResult> ImportAsync(HttpContext http, BackupImport backups, CancellationToken cancellationToken)
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

    /// <summary>A download; the dates come from a form whose empty fields mean "no limit".</summary>
    private static IResult Export(
        HttpContext http, string? from, string? to, string contentType, string name, string extension, Func<Stream, DateOnly?, DateOnly?, Task> write)
    {
        if (!QueryDates.TryReadRange(from, to, out var fromDate, out var toDate, out var problem))
        {
            return problem;
        }

        return TypedResults.Stream(stream => write(stream, fromDate, toDate), contentType, $"{name}-{FileDate(http)}.{extension}");
    }

    private static string UserId(HttpContext http) => CurrentUser.Id(http.User);

    private static string FileDate(HttpContext http) =>
        http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
