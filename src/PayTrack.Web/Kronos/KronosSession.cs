namespace PayTrack.Web.Kronos;

/// <summary>
/// The signed-in state of ONE Kronos account: its session cookie, kept here and sent as a header, never in a cookie
/// container shared by the pooled handler, so one account's cookie can never reach another account's request.
/// Open one per account and sync with <see cref="KronosClient.OpenSession"/>; it is safe to use from parallel requests.
/// </summary>
public sealed class KronosSession : IDisposable
{
    private readonly Lock _lock = new();
    private string? _cookie;
    private int _generation;
    private KronosFailure? _lastSignInFailure;

    internal KronosSession(KronosConnectionSettings connection, int maxParallelRequests)
    {
        Connection = connection;
        ChunkGate = new SemaphoreSlim(maxParallelRequests, maxParallelRequests);
    }

    public KronosConnectionSettings Connection { get; }

    public bool IsSignedIn
    {
        get
        {
            lock (_lock)
            {
                return _cookie is not null;
            }
        }
    }

    /// <summary>A sign-in failure that trying again cannot fix (wrong password, single sign-on): the session stops there.</summary>
    internal KronosFailure? PermanentFailure { get; private set; }

    internal SemaphoreSlim SignInGate { get; } = new(1, 1);

    /// <summary>Bounds the account's timecard requests in flight.</summary>
    internal SemaphoreSlim ChunkGate { get; }

    internal (string? Cookie, int Generation) Current
    {
        get
        {
            lock (_lock)
            {
                return (_cookie, _generation);
            }
        }
    }

    /// <summary>The outcome of the last sign-in, for callers that waited while another request signed in.</summary>
    internal KronosFailure? LastSignInFailure
    {
        get
        {
            lock (_lock)
            {
                return _lastSignInFailure;
            }
        }
    }

    internal void SignedIn(string cookie)
    {
        lock (_lock)
        {
            _cookie = cookie;
            _lastSignInFailure = null;
            _generation++;
        }
    }

    internal void SignInFailed(KronosFailure failure)
    {
        lock (_lock)
        {
            _cookie = null;
            _lastSignInFailure = failure;
            _generation++;
            if (failure.Kind is KronosFailureKind.InvalidCredentials or KronosFailureKind.SingleSignOnRequired)
            {
                PermanentFailure = failure;
            }
        }
    }

    public void Dispose()
    {
        SignInGate.Dispose();
        ChunkGate.Dispose();
    }
}
