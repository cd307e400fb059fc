using System.Reflection;
using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using PayTrack.Web.Components;
using PayTrack.Web.Components.Pages.Settings;

namespace PayTrack.Tests.Live;

/// <summary>
/// A page closed (navigated away from) while its data was still loading. The load that ends afterwards, by finishing or
/// by seeing the page's cancellation, must end quietly: it used to release a disposed lock or throw its cancellation
/// into the circuit, which logged an unhandled exception and showed the browser a circuit error.
/// </summary>
public sealed class ClosedWhileLoadingTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ALivePageClosedWhileLoadingEndsItsLoadQuietly(bool loadSeesTheCancellation)
    {
        var page = new SlowPage(loadSeesTheCancellation);
        var loading = page.SetParametersAsync();
        await page.Load.Started.Task.WaitAsync(Deadline);

        page.Dispose();
        page.Load.Finish.SetResult();

        await loading.WaitAsync(Deadline);
        Assert.Equal(!loadSeesTheCancellation, page.Load.Finished);
    }

    [Fact]
    public async Task ASettingsSectionClosedWhileLoadingEndsItsLoadQuietly()
    {
        var section = new SlowSection();
        var loading = section.SetParametersAsync();
        await section.Load.Started.Task.WaitAsync(Deadline);

        section.Dispose();

        await loading.WaitAsync(Deadline);
        Assert.False(section.Load.Finished);
        // A save still running when the section closed reads the section's token: cancelled, not gone.
        Assert.True(section.Token.IsCancellationRequested);
    }

    /// <summary>A load that waits until the test lets it finish, or until its token is cancelled.</summary>
    private sealed class Load(bool seesTheCancellation)
    {
        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Finish { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool Finished { get; private set; }

        public async Task RunAsync(CancellationToken cancellationToken)
        {
            Started.SetResult();
            await (seesTheCancellation ? Finish.Task.WaitAsync(cancellationToken) : Finish.Task);
            Finished = true;
        }
    }

    private sealed class SlowPage : LiveComponent
    {
        public SlowPage(bool loadSeesTheCancellation)
        {
            Load = new Load(loadSeesTheCancellation);
            // What Blazor injects; the page's other services are not used on this path.
            typeof(LiveComponent).GetProperty("Authentication", BindingFlags.NonPublic | BindingFlags.Instance)!
                .SetValue(this, new Visitor());
        }

        public Load Load { get; }

        public Task SetParametersAsync() => OnParametersSetAsync();

        protected override Task LoadAsync(CancellationToken cancellationToken) => Load.RunAsync(cancellationToken);
    }

    private sealed class Visitor : AuthenticationStateProvider
    {
        public override Task<AuthenticationState> GetAuthenticationStateAsync() =>
            Task.FromResult(new AuthenticationState(new ClaimsPrincipal(new ClaimsIdentity())));
    }

    private sealed class SlowSection : SettingsSection
    {
        public Load Load { get; } = new(seesTheCancellation: true);

        public CancellationToken Token => Aborted;

        public Task SetParametersAsync() => OnParametersSetAsync();

        protected override Task LoadAsync(CancellationToken cancellationToken) => Load.RunAsync(cancellationToken);
    }
}
