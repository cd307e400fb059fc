using System.Diagnostics;
using PayTrack.Tests.Infrastructure;

namespace PayTrack.Tests.Foundation;

/// <summary>
/// Folders import downwards only (issue 17): tools/folder-edges.sh, run as CI and a developer run it, finds no edge
/// from a folder to one on a higher floor, and no folder without a floor.
/// </summary>
public sealed class FolderEdgesTests
{
    [Fact]
    public async Task NoFolderImportsOneAboveIt()
    {
        var start = new ProcessStartInfo("bash", ["tools/folder-edges.sh", "--check"])
        {
            WorkingDirectory = PayTrackProcess.RepoRoot,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var script = Process.Start(start)!;
        var reading = Task.WhenAll(script.StandardOutput.ReadToEndAsync(), script.StandardError.ReadToEndAsync());
        await script.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        var texts = await reading;
        var (output, errors) = (texts[0], texts[1]);

        var summary = output.TrimEnd().Split('\n')[^1];
        Assert.True(script.ExitCode == 0, $"{output}\n{errors}");
        Assert.Matches(@"^[1-9]\d* edges, 0 upward, 0 without a floor$", summary);
    }
}
