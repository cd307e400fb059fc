using Microsoft.AspNetCore.Antiforgery;

namespace PayTrack.Web.Operations;

public static class AntiforgeryFilter
{
    /// <summary>
    /// Rejects a request without a valid antiforgery token (form field or X-CSRF-TOKEN header) with a 400.
    /// Minimal endpoints that do not bind [FromForm] are not checked by the middleware, so every
    /// state-changing endpoint outside Razor forms carries this filter.
    /// </summary>
    public static TBuilder RequireAntiforgeryToken<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.AddEndpointFilter(async (context, next) =>
        {
            var antiforgery = context.HttpContext.RequestServices.GetRequiredService<IAntiforgery>();
            try
            {
                if (!await antiforgery.IsRequestValidAsync(context.HttpContext))
                {
                    return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "This page has expired. Reload it and try again.");
                }
            }
            catch (AntiforgeryValidationException ex) when (ex.InnerException is InvalidDataException)
            {
                // A form the framework cannot read (a NUL character in a value): a plain 400, not an error page.
                return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The form held characters PayTrack does not accept; nothing was changed.");
            }

            return await next(context);
        });
        return builder;
    }
}
