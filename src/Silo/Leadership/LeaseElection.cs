using System.Net;
using k8s;
using k8s.Autorest;
using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;
using Microsoft.Extensions.Options;

namespace Conductor.Silo.Leadership;

/// <summary>
/// Runs KubernetesClient's <see cref="LeaderElector"/> on the Lease <c>conductor-{cluster}</c>, term after term: a
/// replica that loses the Lease goes back to standby and competes again (the reference exited the process instead).
/// Each term has its own token, cancelled before anything else happens when the term ends.
/// </summary>
public sealed partial class LeaseElection(
    IServiceProvider services, IOptions<LeadershipOptions> options, TimeProvider time, ILogger<LeaseElection> logger)
    : BackgroundService, ILeadership
{
    private static readonly CancellationToken NotLeading = new(canceled: true);
    private readonly LeadershipOptions _options = options.Value;
    private readonly Lock _gate = new();
    private TaskCompletionSource<CancellationToken> _leading = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CancellationTokenSource? _term;
    private RenewalRecordingLock? _lock;
    private volatile string? _currentLeader;
    private int _leaseErrors;
    private CancellationToken _stopping;

    public string Identity => _options.Identity;

    public string? CurrentLeader => _currentLeader;

    public bool IsLeader
    {
        get
        {
            var term = _term;
            var renewed = _lock?.LastRenewal;
            // The local fence: without a renewal inside the renew deadline this replica may already have been replaced.
            return term is { IsCancellationRequested: false } && renewed is { } at && time.GetUtcNow() - at < _options.RenewDeadline;
        }
    }

    public CancellationToken LeaderToken
    {
        get
        {
            try
            {
                return _term?.Token ?? NotLeading;
            }
            catch (ObjectDisposedException)
            {
                return NotLeading;
            }
        }
    }

    public async Task<CancellationToken> WaitForLeadershipAsync(CancellationToken cancellationToken)
    {
        Task<CancellationToken> leading;
        lock (_gate)
        {
            leading = _leading.Task;
        }
        return await leading.WaitAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _stopping = stoppingToken;
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                _lock ??= new RenewalRecordingLock(LeaseLock(), time);
                using var elector = new LeaderElector(new LeaderElectionConfig(_lock)
                {
                    LeaseDuration = _options.LeaseDuration,
                    RenewDeadline = _options.RenewDeadline,
                    RetryPeriod = _options.RetryPeriod,
                });
                elector.OnStartedLeading += StartTerm;
                elector.OnStoppedLeading += EndTerm;
                elector.OnNewLeader += ObserveLeader;
                elector.OnError += ReportLeaseError;
                LogCompeting(logger, _options.Namespace, _options.LeaseName, _options.Identity);
                await elector.RunUntilLeadershipLostAsync(stoppingToken);
                failures = 0;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                failures++;
                LogElectionFailed(logger, _options.Namespace, _options.LeaseName, failures, e.Message, e);
            }
            finally
            {
                EndTerm();
            }
            try
            {
                await Task.Delay(_options.RetryPeriod * Math.Min(1 << Math.Min(failures, 4), 16), time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private LeaseLock LeaseLock()
    {
        var lease = new LeaseLock(services.GetRequiredService<IKubernetes>(), _options.Namespace, _options.LeaseName, _options.Identity);
        // The lock turns a failed create or replace into "not acquired" and the elector tries again every RetryPeriod:
        // the reason (the namespace missing, RBAC denying leases) is seen only here.
        lease.OnHttpError += ReportLeaseError;
        return lease;
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // Writes stop first: the term ends before the elector loop is torn down.
        EndTerm();
        await base.StopAsync(cancellationToken);
    }

    private void StartTerm()
    {
        lock (_gate)
        {
            var term = new CancellationTokenSource();
            _term = term;
            _currentLeader = _options.Identity;
            _leading.TrySetResult(term.Token);
        }
        Interlocked.Exchange(ref _leaseErrors, 0);
        LogStartedLeading(logger, _options.Namespace, _options.LeaseName, _options.Identity);
    }

    private void EndTerm()
    {
        CancellationTokenSource? ended;
        lock (_gate)
        {
            ended = _term;
            _term = null;
            if (ended is not null)
            {
                _leading = new TaskCompletionSource<CancellationToken>(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
        if (ended is null)
        {
            return;
        }
        LogStoppedLeading(logger, _options.Namespace, _options.LeaseName, _options.Identity);
        ended.Cancel();
        ended.Dispose();
    }

    private void ObserveLeader(string leader)
    {
        _currentLeader = leader;
        Interlocked.Exchange(ref _leaseErrors, 0);
        LogNewLeader(logger, _options.Namespace, _options.LeaseName, leader);
    }

    // The elector swallows a failed read or write of the Lease and tries again every RetryPeriod, for ever: without this a
    // replica that can never lead (its namespace missing, RBAC denying leases) would say only "Competing". Said at the
    // 1st, 2nd, 4th, 8th... failure since the last change of leader, so a lasting fault stays visible without flooding the log.
    private void ReportLeaseError(Exception error)
    {
        if (error is HttpOperationException { Response.StatusCode: HttpStatusCode.Conflict })
        {
            return; // another replica wrote the Lease first: the race elections are made of, not a fault
        }
        if (error is OperationCanceledException && _stopping.IsCancellationRequested)
        {
            return; // the agent is stopping: the call in flight was cancelled on purpose
        }
        var failures = Interlocked.Increment(ref _leaseErrors);
        if ((failures & (failures - 1)) == 0)
        {
            var reason = error is HttpOperationException { Response: { } response } ? $"HTTP {(int)response.StatusCode}: {response.Content}" : error.Message;
            LogLeaseUnavailable(logger, _options.Namespace, _options.LeaseName, _options.Identity, failures, reason);
        }
    }

    [LoggerMessage(1, LogLevel.Information, "Competing for Lease {Namespace}/{Name} as {Identity}")]
    private static partial void LogCompeting(ILogger logger, string @namespace, string name, string identity);

    [LoggerMessage(2, LogLevel.Information, "Started leading Lease {Namespace}/{Name} as {Identity}")]
    private static partial void LogStartedLeading(ILogger logger, string @namespace, string name, string identity);

    [LoggerMessage(3, LogLevel.Warning, "Stopped leading Lease {Namespace}/{Name} as {Identity}: leader-only writes stop now; standing by")]
    private static partial void LogStoppedLeading(ILogger logger, string @namespace, string name, string identity);

    [LoggerMessage(4, LogLevel.Information, "Lease {Namespace}/{Name} is held by {Leader}")]
    private static partial void LogNewLeader(ILogger logger, string @namespace, string name, string leader);

    [LoggerMessage(5, LogLevel.Error, "Leader election on Lease {Namespace}/{Name} failed ({Failures} in a row): {Reason}; check the API server and that the agent may get, create and update leases in its namespace")]
    private static partial void LogElectionFailed(ILogger logger, string @namespace, string name, int failures, string reason, Exception exception);

    [LoggerMessage(6, LogLevel.Error, "Lease {Namespace}/{Name} could not be read or written by {Identity} ({Failures} failures since the leader last changed); this replica cannot lead until it can: {Reason}. Check that the namespace exists and that the agent may get, create and update leases in it")]
    private static partial void LogLeaseUnavailable(ILogger logger, string @namespace, string name, string identity, int failures, string reason);
}
