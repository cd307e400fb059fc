using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using PayTrack.Web.Data;

namespace PayTrack.Web.Components.Account;

/// <summary>
/// The signed-in user of an open interactive page (a Blazor circuit), checked again every
/// <see cref="AccountOptions.SessionCheckInterval"/>: when the password changed elsewhere (a new security stamp) or the
/// account is gone, the circuit's user becomes anonymous and its live pages reload, so a session ends on open pages
/// too, not only at its next request. Circuits only: a request is checked once, by Identity's cookie validation, and a
/// page that changes the password itself must not sign its own request out halfway.
/// </summary>
public sealed partial class SessionRevalidation(
    AuthenticationStateProvider authentication,
    IServiceScopeFactory scopes,
    IOptions<AccountOptions> accounts,
    ILogger<SessionRevalidation> logger) : CircuitHandler, IDisposable
{
    private readonly CancellationTokenSource _closed = new();

    public override Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        StartWatching();
        return Task.CompletedTask;
    }

    public override Task OnCircuitClosedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        _closed.Cancel();
        return Task.CompletedTask;
    }

    /// <summary>Starts the checks of this circuit's user (once the circuit is open).</summary>
    internal void StartWatching() => _ = WatchAsync(_closed.Token);

    public void Dispose()
    {
        _closed.Cancel();
        _closed.Dispose();
    }

    private async Task WatchAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var timer = new PeriodicTimer(accounts.Value.SessionCheckInterval);
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                var user = (await authentication.GetAuthenticationStateAsync()).User;
                if (user.Identity?.IsAuthenticated != true)
                {
                    return;
                }

                await using var scope = scopes.CreateAsyncScope();
                if (await scope.ServiceProvider.GetRequiredService<SessionCheck>().CheckAsync(user, cancellationToken) == SessionState.Ended)
                {
                    ((IHostEnvironmentAuthenticationStateProvider)authentication).SetAuthenticationState(
                        Task.FromResult(new AuthenticationState(new ClaimsPrincipal(new ClaimsIdentity()))));
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (ObjectDisposedException)
        {
        }
        catch (Exception ex) when (ex is Npgsql.NpgsqlException or InvalidOperationException or TimeoutException)
        {
            // The page keeps its user until it reloads; that request is checked again by the cookie's validation.
            LogCheckFailed(logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Checking an open page's session failed; it is checked again when the page reloads")]
    private static partial void LogCheckFailed(ILogger logger, Exception exception);
}
