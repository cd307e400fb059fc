using System.Globalization;
using System.Reflection;
using Refit;

namespace PayTrack.Web.Kronos;

/// <summary>
/// The three endpoints of the Kronos contract (docs/kronos-contract.md), relative to the connection's base URL, as one
/// Refit interface whose implementation the Refit source generator writes at build time. Answers come back as
/// <see cref="HttpResponseMessage"/>: the contract's failures hide in successful answers (an HTML login page, a 200 with
/// an error object), so <see cref="KronosClient"/> reads each body itself, with the source-generated
/// <see cref="KronosJsonContext"/>. Every request carries its <see cref="KronosSession"/> as a request option, which
/// <see cref="KronosSessionHandler"/> uses for the account's cookies and the connection's own paths.
/// </summary>
internal interface IKronosApi
{
    [Post("/login")]
    [Headers("Accept: application/json")]
    Task<HttpResponseMessage> SignInAsync(
        [Body(BodySerializationMethod.UrlEncoded)] Dictionary<string, string> form,
        [Property(KronosSessionHandler.SessionOption)] KronosSession session,
        CancellationToken cancellationToken);

    [Get("/rest/employeebyusername/{username}")]
    [Headers("Accept: application/json")]
    Task<HttpResponseMessage> GetEmployeeAsync(
        string username,
        [Property(KronosSessionHandler.SessionOption)] KronosSession session,
        CancellationToken cancellationToken);

    [Get("/rest/timecard/{employeeId}/{payRuleId}/{start}/{end}")]
    [Headers("Accept: application/json")]
    Task<HttpResponseMessage> GetTimecardAsync(
        long employeeId,
        long payRuleId,
        DateOnly start,
        DateOnly end,
        [Property(KronosSessionHandler.SessionOption)] KronosSession session,
        CancellationToken cancellationToken);
}

/// <summary>Path values as the contract writes them: dates as yyyy-MM-dd, numbers without culture.</summary>
internal sealed class KronosUrlFormatter : IUrlParameterFormatter
{
    public string? Format(object? value, ICustomAttributeProvider attributeProvider, Type type) => value switch
    {
        null => null,
        DateOnly date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };
}
