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
            if (!await antiforgery.IsRequestValidAsync(context.HttpContext))
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "This page has expired. Reload it and try again.");
            }

            return await next(context);
        });
        return builder;
    }
}
