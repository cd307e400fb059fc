using System.Buffers;
using System.Text;
using System.Text.Json;

namespace PayTrack.KronosSimulator.Site;

internal static class Responses
{
    public const string JsonType = "application/json; charset=utf-8";

    public const string LoginPage =
        "<!DOCTYPE html><html><head><title>Kronos - Log In</title></head><body>" +
        "<form method=\"post\" action=\"login\"><h1>Log in to Kronos</h1>" +
        "<input name=\"username\"><input name=\"password\" type=\"password\"><button>Log In</button></form></body></html>";

    public const string SingleSignOnPage =
        "<!DOCTYPE html><html><head><title>Campus Sign-In</title></head><body>" +
        "<h1>Sign in with your campus account</h1><p>You are being redirected to the identity provider.</p></body></html>";

    public const string UnavailablePage =
        "<!DOCTYPE html><html><head><title>503 Service Temporarily Unavailable</title></head><body>" +
        "<h1>Service Temporarily Unavailable</h1><p>The server is temporarily unable to service your request.</p></body></html>";

    public static byte[] Render(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var json = new Utf8JsonWriter(buffer))
        {
            write(json);
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static async Task JsonAsync(HttpContext context, int status, byte[] body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = JsonType;
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted);
    }

    public static Task ErrorAsync(HttpContext context, int status, string code, string message) =>
        JsonAsync(context, status, Render(json => Api.WireWriter.WriteError(json, code, message)));

    public static async Task HtmlAsync(HttpContext context, int status, string html)
    {
        var body = Encoding.UTF8.GetBytes(html);
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted);
    }
}
