namespace PayTrack.Web.Operations;

/// <summary>Where an upload endpoint sends a browser whose file is over its limit.</summary>
public sealed record UploadTooLargeRedirect(string Location);

public static class UploadLimits
{
    /// <summary>
    /// An upload without a Content-Length is only found too large while its body is read, possibly by the antiforgery
    /// check before the endpoint runs: the same answer as for a declared length then, instead of an error page.
    /// </summary>
    public static WebApplication UseUploadLimitAnswers(this WebApplication app)
    {
        app.Use(static async (context, next) =>
        {
            try
            {
                await next(context);
            }
            catch (Exception ex) when (ex is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } or InvalidDataException
                                       && !context.Response.HasStarted
                                       && context.GetEndpoint()?.Metadata.GetMetadata<UploadTooLargeRedirect>() is not null)
            {
                var redirect = context.GetEndpoint()!.Metadata.GetMetadata<UploadTooLargeRedirect>()!;
                context.Response.Clear();
                context.Response.Redirect(context.Request.PathBase + redirect.Location);
            }
        });
        return app;
    }
}
