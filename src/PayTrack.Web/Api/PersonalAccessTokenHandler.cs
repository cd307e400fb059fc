using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace PayTrack.Web.Api;

/// <summary>
/// <c>Authorization: Bearer ptk_...</c> for the API. A request without a bearer token is left to the cookie; a
/// request with a bad one fails with 401 and a sentence, never with the token in it.
/// </summary>
public sealed class PersonalAccessTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiTokens tokens)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "PersonalAccessToken";

    /// <summary>The scheme the API endpoints use: a bearer token when one is sent, otherwise the sign-in cookie.</summary>
    public const string ApiSchemeName = "PayTrack.Api";

    public static bool HasBearer(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase);
    }

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!HasBearer(Request))
        {
            return AuthenticateResult.NoResult();
        }

        var token = Request.Headers.Authorization.ToString()["Bearer ".Length..].Trim();
        var userId = await tokens.FindUserAsync(token, Context.RequestAborted);
        if (userId is null)
        {
            return AuthenticateResult.Fail("The access token is not valid: it was revoked, or it is mistyped.");
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, userId)], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        var result = await HandleAuthenticateOnceSafeAsync();
        var detail = result.Failure?.Message ?? "Send a personal access token as 'Authorization: Bearer <token>' (create one on the settings page), or sign in.";
        await Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Not signed in", detail: detail).ExecuteAsync(Context);
    }
}
