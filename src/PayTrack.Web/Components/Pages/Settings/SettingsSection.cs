using Microsoft.AspNetCore.Components;
using PayTrack.Web.Dashboard;
using PayTrack.Web.Live;

namespace PayTrack.Web.Components.Pages.Settings;

/// <summary>
/// One section of the settings page. The page reads the user's profile (again whenever data lands for the user, on any
/// node) and hands it down; a section re-reads what it shows in <see cref="LoadAsync"/> each time, so after a sync, an
/// import or a change in another tab every section agrees with the rest of the page without a reload. Forms run on the
/// page's circuit: what the user types stays in the form until a save succeeds.
/// </summary>
public abstract class SettingsSection : ComponentBase, IDisposable
{
    // Cancelled when the section goes, never disposed: a form's save or a load still in flight reads its token. It holds
    // no timer or wait handle, so nothing is left behind.
    private readonly CancellationTokenSource _disposed = new();

    [Parameter, EditorRequired]
    public PayProfile Profile { get; set; } = default!;

    [Inject]
    private ILiveNotifier Live { get; set; } = default!;

    protected string UserId => Profile.UserId;

    /// <summary>Cancelled when the page is closed.</summary>
    protected CancellationToken Aborted => _disposed.Token;

    protected override async Task OnParametersSetAsync()
    {
        try
        {
            await LoadAsync(Aborted);
        }
        catch (Exception ex) when ((ex is OperationCanceledException or ObjectDisposedException) && _disposed.IsCancellationRequested)
        {
            // The page closed while the section loaded: nothing is left to show, and its circuit must not fail for it.
        }
    }

    /// <summary>Reads what the section shows; runs for the first render and after every change of the profile.</summary>
    protected virtual Task LoadAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Tells every open page of the user (this one included, on any node) that their settings changed.</summary>
    protected Task PublishChangeAsync() =>
        Live.PublishAsync(LiveEvent.Changed(UserId, "settings"), Aborted);

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            _disposed.Cancel();
        }
    }
}
