using Hangfire.AspNetCore;
using Hangfire.Logging;

namespace PayTrack.Web.Sync;

/// <summary>
/// Hangfire's log lines into the host's logging. Hangfire keeps one log provider for the whole process, and every host
/// that starts sets its own; where several hosts share a process (the tests), a Hangfire object can hold a logger of a
/// host that has since stopped, whose disposed logger factory throws. Such a line is dropped instead of failing the job.
/// </summary>
internal sealed class HostLogProvider(ILoggerFactory loggerFactory) : ILogProvider
{
    private readonly AspNetCoreLogProvider _inner = new(loggerFactory);

    public ILog GetLogger(string name) => new HostLog(_inner, name);

    private sealed class HostLog(AspNetCoreLogProvider provider, string name) : ILog
    {
        private ILog? _log;

        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null)
        {
            try
            {
                _log ??= provider.GetLogger(name);
                return _log.Log(logLevel, messageFunc, exception);
            }
            catch (ObjectDisposedException)
            {
                return false;
            }
        }
    }
}
