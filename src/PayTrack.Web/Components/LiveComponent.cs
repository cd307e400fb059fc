using System.Security.Claims;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using PayTrack.Web.Components.Account;
using PayTrack.Web.Data;
using PayTrack.Web.Live;

namespace PayTrack.Web.Components;

/// <summary>
/// A live page (or section): it reads its data in <see cref="LoadAsync"/>, once for the prerendered answer, once when its
/// circuit starts, and again whenever data lands for its user on any node (a sync, an import, a shift entered in another
/// tab, a settings change), then re-renders. One state per component, so every figure on it agrees.
/// </summary>
public abstract partial class LiveComponent : ComponentBase, IDisposable
{
    // Neither is disposed with the component, only cancelled: a load still in flight when the page closes goes on to
    // release the one and read the other's token. Neither holds a timer or a wait handle, so nothing is left behind.
    private readonly CancellationTokenSource _disposed = new();
    private readonly SemaphoreSlim _loading = new(1, 1);
    private LiveBroker.Subscription? _subscription;
    private int _refreshQueued;

    [Inject]
    private LiveBroker Broker { get; set; } = default!;

    [Inject]
    private AuthenticationStateProvider Authentication { get; set; } = default!;

    [Inject]
    private ILogger<LiveComponent> Logger { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    /// <summary>The request while prerendering (for its timings); null once the component runs on its circuit.</summary>
    [CascadingParameter]
    protected HttpContext? HttpContext { get; set; }

    /// <summary>Who is looking: a signed-in user, or an anonymous visitor (who sees the demo).</summary>
    protected ClaimsPrincipal User { get; private set; } = new();

    /// <summary>Cancelled when the page is closed (or, while prerendering, when the request is).</summary>
    protected CancellationToken Aborted => HttpContext?.RequestAborted ?? _disposed.Token;

    /// <summary>Administrators' pages also follow every user's job runs.</summary>
    protected virtual bool FollowsEveryonesJobs => false;

    /// <summary>Reads what the component shows. Runs on the component's own dispatcher, one load at a time.</summary>
    protected abstract Task LoadAsync(CancellationToken cancellationToken);

    /// <summary>Whether an event should reload this component (by default every event of its user).</summary>
    protected virtual bool Wants(LiveEvent liveEvent) => true;

    protected override async Task OnInitializedAsync()
    {
        User = (await Authentication.GetAuthenticationStateAsync()).User;
        if (RendererInfo.IsInteractive && CurrentUser.IdOrNull(User) is { } userId)
        {
            _subscription = Broker.Subscribe(userId, FollowsEveryonesJobs && User.IsInRole(AccountsExtensions.AdminRole), OnLiveEvent);
            Authentication.AuthenticationStateChanged += OnAuthenticationStateChanged;
        }
    }

    /// <summary>
    /// The session ended while the page was open (the password changed elsewhere, see SessionRevalidation): the page
    /// stops following the user's data and reloads, which asks the server again and finds the visitor signed out.
    /// </summary>
    private void OnAuthenticationStateChanged(Task<AuthenticationState> state) => _ = InvokeAsync(async () =>
    {
        var now = (await state).User.FindFirstValue(ClaimTypes.NameIdentifier);
        if (string.Equals(now, User.FindFirstValue(ClaimTypes.NameIdentifier), StringComparison.Ordinal) || _disposed.IsCancellationRequested)
        {
            return;
        }

        _subscription?.Dispose();
        _subscription = null;
        Navigation.Refresh(forceReload: true);
    });

    protected override async Task OnParametersSetAsync()
    {
        try
        {
            await _loading.WaitAsync(Aborted);
            try
            {
                await LoadAsync(Aborted);
            }
            finally
            {
                _loading.Release();
            }
        }
        catch (Exception ex) when ((ex is OperationCanceledException or ObjectDisposedException) && _disposed.IsCancellationRequested)
        {
            // The page closed while it loaded (its circuit's services may be gone too): there is nothing left to show,
            // and the circuit must not fail for it.
        }
    }

    /// <summary>Reloads now, as an event would (after the component's own change, say).</summary>
    protected Task ReloadAsync() => RefreshAsync();

    private void OnLiveEvent(LiveEvent liveEvent)
    {
        // Bursts (a catchup's progress) coalesce: at most one reload waits behind the running one.
        if (!Wants(liveEvent) || Interlocked.Exchange(ref _refreshQueued, 1) == 1)
        {
            return;
        }

        _ = InvokeAsync(RefreshAsync);
    }

    private async Task RefreshAsync()
    {
        try
        {
            await _loading.WaitAsync(Aborted);
            try
            {
                Volatile.Write(ref _refreshQueued, 0);
                await LoadAsync(Aborted);
            }
            finally
            {
                _loading.Release();
            }

            StateHasChanged();
        }
        catch (OperationCanceledException) when (Aborted.IsCancellationRequested)
        {
        }
        catch (ObjectDisposedException)
        {
        }
        catch (Exception ex) when (ex is Npgsql.NpgsqlException or InvalidOperationException or TimeoutException)
        {
            // The page keeps what it showed; the next event or a reload tries again.
            LogRefreshFailed(Logger, GetType().Name, ex);
        }
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            Authentication.AuthenticationStateChanged -= OnAuthenticationStateChanged;
            _subscription?.Dispose();
            _disposed.Cancel();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Live page {Page}: reloading after new data failed")]
    private static partial void LogRefreshFailed(ILogger logger, string page, Exception exception);
}
