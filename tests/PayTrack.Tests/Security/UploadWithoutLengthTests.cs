using PayTrack.Tests.Infrastructure;

namespace PayTrack.Tests.Security;

/// <summary>Issue 10, point 9: an upload over the limit without a Content-Length gets the same answer as one that declares its length.</summary>
public sealed class UploadWithoutLengthTests
{
    [Fact]
    public async Task AChunkedUploadOverTheLimitGetsTheSameClearAnswer()
    {
        await using var app = new PayTrackAppFactory { RealServer = true }.WithSetting("PayTrack:Timecards:MaxBackupBytes", "2048");
        await app.InitializeAsync();
        Uri server;
        using (var probe = app.CreateClient())
        {
            server = probe.BaseAddress!;
        }

        // Kestrel, not the test server: only a real server enforces request size limits on a streamed body.
        using var handler = new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new System.Net.CookieContainer() };
        using var client = new HttpClient(handler) { BaseAddress = server };
        (await client.SubmitAsync("/account/register", new Dictionary<string, string>
        {
            ["Input.Email"] = "chunked@example.edu",
            ["Input.Password"] = "Chunk3d-upload!",
            ["Input.ConfirmPassword"] = "Chunk3d-upload!",
        })).Dispose();

        using var content = new MultipartFormDataContent
        {
            { new StringContent(await client.AntiforgeryTokenAsync("/settings")), "__RequestVerificationToken" },
            { new StreamContent(new UnknownLengthStream(new byte[600 * 1024])), "file", "big.json" },
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/settings/backup/import") { Content = content };
        request.Headers.TransferEncodingChunked = true;
        Assert.Null(content.Headers.ContentLength);

        using var response = await client.SendAsync(request);

        Assert.Equal("/settings?importError=too-large", response.RedirectPath()?.Split('#')[0]);
        Assert.Contains("The file is larger than 2 KB; nothing was imported.", await client.GetStringAsync("/settings?importError=too-large"), StringComparison.Ordinal);
    }

    /// <summary>A body whose length the client cannot know in advance, as a streamed upload is sent.</summary>
    private sealed class UnknownLengthStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
