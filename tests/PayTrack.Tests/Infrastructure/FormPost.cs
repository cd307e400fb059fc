using System.Net;
using System.Text.RegularExpressions;

namespace PayTrack.Tests.Infrastructure;

/// <summary>
/// Submits a page's form the way a browser does: GET the page, keep its hidden fields (the antiforgery
/// token and Blazor's _handler), fill the visible ones, POST to the form's action.
/// </summary>
public static partial class FormPost
{
    public static async Task<HttpResponseMessage> SubmitAsync(this HttpClient client, string pageUrl, IReadOnlyDictionary<string, string> fields, string? formSelectorHandler = null)
    {
        using var page = await client.GetAsync(pageUrl);
        var html = await page.Content.ReadAsStringAsync();
        var form = FindForm(html, formSelectorHandler) ?? throw new InvalidOperationException($"No form on {pageUrl} (status {(int)page.StatusCode}).");
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match input in HiddenInput().Matches(form.Body))
        {
            values[WebUtility.HtmlDecode(input.Groups["name"].Value)] = WebUtility.HtmlDecode(input.Groups["value"].Value);
        }

        foreach (var (key, value) in fields)
        {
            values[key] = value;
        }

        var action = string.IsNullOrEmpty(form.Action) ? pageUrl : WebUtility.HtmlDecode(form.Action);
        return await client.PostAsync(action, new FormUrlEncodedContent(values));
    }

    /// <summary>Signs the client in through the real sign-in page; returns the client, which keeps the cookie.</summary>
    public static async Task<HttpClient> SignInAsync(this HttpClient client, string email, string password)
    {
        using var response = await client.SubmitAsync("/account/login", new Dictionary<string, string> { ["Input.Email"] = email, ["Input.Password"] = password });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return client;
    }

    /// <summary>The antiforgery token of a page, for requests that send it in a header.</summary>
    public static async Task<string> AntiforgeryTokenAsync(this HttpClient client, string pageUrl)
    {
        var html = await client.GetStringAsync(pageUrl);
        var match = HiddenInput().Matches(html).FirstOrDefault(m => m.Groups["name"].Value == "__RequestVerificationToken");
        return match?.Groups["value"].Value ?? throw new InvalidOperationException($"No antiforgery token on {pageUrl}.");
    }

    /// <summary>Where a redirect points, as a local path and query (Blazor's NavigateTo sends absolute URLs).</summary>
    public static string? RedirectPath(this HttpResponseMessage response)
    {
        var location = response.Headers.Location;
        return location is null ? null : location.IsAbsoluteUri ? location.PathAndQuery : location.OriginalString;
    }

    private static (string Action, string Body)? FindForm(string html, string? handler)
    {
        foreach (Match form in FormElement().Matches(html))
        {
            var body = form.Groups["body"].Value;
            if (handler is null || body.Contains($"value=\"{handler}\"", StringComparison.Ordinal))
            {
                return (form.Groups["action"].Value, body);
            }
        }

        return null;
    }

    [GeneratedRegex("""<form(?=[^>]*)(?:[^>]*?action="(?<action>[^"]*)")?[^>]*>(?<body>.*?)</form>""", RegexOptions.Singleline)]
    private static partial Regex FormElement();

    [GeneratedRegex("""<input[^>]*?type="hidden"[^>]*?name="(?<name>[^"]*)"[^>]*?value="(?<value>[^"]*)"[^>]*>""", RegexOptions.Singleline)]
    private static partial Regex HiddenInput();
}
