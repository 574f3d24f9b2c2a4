using Conductor.Federation;
using Conductor.Grains.Federation.Onboarding;
using Conductor.Grains.Federation.Storage;
using Conductor.Observability;
using Conductor.Runner;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Conductor.Grains.Federation;

/// <summary>
/// The management side of one tenant's federation channel. Memory only: a restarted silo starts with no stream
/// and a fresh count, and the tenant's reconnect brings both back. The degraded state is the exception that is
/// written to Kubernetes, as the FederationChannelDegraded condition of the tenant's RunnerConfig.
/// </summary>
public sealed partial class TenantSessionGrain(
    IOptions<FederationGrainOptions> options, TimeProvider time, RunnerConfigConditionWriter conditions, PermissionSnapshotHandshake onboarding,
    ConductorMetrics metrics,
    ILogger<TenantSessionGrain> logger)
    : Grain, ITenantSessionGrain
{
    private readonly HeartBeatMonitor _monitor = new(options.Value.MissedAckThreshold);
    private Guid? _streamId;
    private ITenantStreamObserver? _observer;
    private DateTimeOffset? _lastHeartBeat;
    private DateTimeOffset? _lastAck;
    private bool? _recordedDegraded;
    private bool _everBound;

    private string ClusterId => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var interval = options.Value.HeartBeatInterval;
        this.RegisterGrainTimer(TickAsync, new GrainTimerCreationOptions(interval, interval) { KeepAlive = true });
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_monitor.Degraded)
        {
            metrics.TenantRecovered(); // the gauge counts live sessions; this one is going away
        }

        return Task.CompletedTask;
    }

    public async Task ConnectAsync(Guid streamId, ITenantStreamObserver observer)
    {
        (_streamId, _observer) = (streamId, observer);
        _everBound = true;
        LogConnected(logger, ClusterId, streamId);
        // Reconcile what the tenant may have missed: every revocation. How far its audit events are stored is the
        // gateway's greeting on every replica's stream, since each replica's WAL has its own sink. Read straight from
        // the ledger (what IRevocationGrain.ListAsync answers), so a connect does not keep a revocation grain
        // activated per tenant that has nothing to revoke.
        foreach (var notice in await GrainFactory.GetGrain<IRevocationLedgerGrain>(0).ListAsync(ClusterId))
        {
            await SendAsync(o => o.SendRevocationAsync(notice));
        }

        await OfferSnapshotsAsync();
    }

    public async Task PermissionSnapshotAckedAsync(Guid streamId, PermissionSnapshotAcknowledgement acknowledgement)
    {
        if (_streamId != streamId)
        {
            return;
        }

        try
        {
            await onboarding.RecordAsync(ClusterId, acknowledgement, CancellationToken.None);
        }
        catch (Exception e) when (e is HttpRequestException or k8s.Autorest.HttpOperationException)
        {
            // Unrecorded means unacknowledged: the next connect pushes the snapshot again.
            LogAckRecordFailed(logger, e, ClusterId, acknowledgement.Name);
        }
    }

    /// <summary>Onboarding handshake (seed §15): push each signed snapshot whose acknowledgement is not yet recorded.</summary>
    private async Task OfferSnapshotsAsync()
    {
        IReadOnlyList<PermissionSnapshotOffer> pending;
        try
        {
            pending = await onboarding.PendingAsync(ClusterId, CancellationToken.None);
        }
        catch (Exception e) when (e is HttpRequestException or k8s.Autorest.HttpOperationException)
        {
            LogOfferFailed(logger, e, ClusterId);
            return;
        }

        foreach (var offer in pending)
        {
            LogOffering(logger, ClusterId, offer.Namespace, offer.Name, offer.Version);
            await SendAsync(o => o.SendPermissionSnapshotAsync(offer));
        }
    }

    public async Task PushPermissionSnapshotAsync(string name)
    {
        if (_observer is null)
        {
            if (!_everBound)
            {
                // Activated only by this call: no tenant was ever here, so do not linger counting missed heartbeats.
                DeactivateOnIdle();
            }

            return;
        }

        PermissionSnapshotOffer? offer;
        try
        {
            offer = await onboarding.OfferAsync(ClusterId, name, CancellationToken.None);
        }
        catch (Exception e) when (e is HttpRequestException or k8s.Autorest.HttpOperationException)
        {
            LogOfferFailed(logger, e, ClusterId);
            return;
        }

        if (offer is null)
        {
            return;
        }

        LogPushingSigned(logger, ClusterId, offer.Namespace, offer.Name, offer.Version);
        await SendAsync(o => o.SendPermissionSnapshotAsync(offer));
    }

    public Task DisconnectAsync(Guid streamId)
    {
        if (_streamId == streamId)
        {
            (_streamId, _observer) = (null, null);
            LogDisconnected(logger, ClusterId, streamId);
        }

        return Task.CompletedTask;
    }

    public Task HeartBeatReceivedAsync(Guid streamId)
    {
        if (_streamId == streamId)
        {
            _lastHeartBeat = time.GetUtcNow();
        }

        return Task.CompletedTask;
    }

    public async Task HeartBeatAckedAsync(Guid streamId)
    {
        if (_streamId != streamId)
        {
            return;
        }

        _lastAck = time.GetUtcNow();
        if (_monitor.Acked())
        {
            metrics.TenantRecovered();
            LogRestored(logger, ClusterId);
        }

        await RecordAsync();
    }

    public Task PushRevocationAsync(RevocationNotice notice) => SendAsync(o => o.SendRevocationAsync(notice));

    public Task<TenantSessionStatus> GetStatusAsync() => Task.FromResult(
        new TenantSessionStatus(_observer is not null, _streamId, _lastHeartBeat, _lastAck, _monitor.Missed, _monitor.Degraded));

    private async Task TickAsync(CancellationToken cancellationToken)
    {
        if (_monitor.Tick())
        {
            metrics.TenantDegraded();
            LogDegraded(logger, ClusterId, _monitor.Missed, _observer is not null);
        }

        await SendAsync(o => o.SendHeartBeatAsync());
        await RecordAsync();
    }

    private async Task SendAsync(Func<ITenantStreamObserver, Task> send)
    {
        if (_observer is not { } observer)
        {
            return;
        }

        try
        {
            await send(observer);
        }
        catch (Exception e)
        {
            // The gateway that held the stream is gone (silo stopped, stream ended): the tenant reconnects.
            LogObserverLost(logger, e, ClusterId, _streamId);
            (_streamId, _observer) = (null, null);
        }
    }

    /// <summary>Writes the degraded state to the tenant's RunnerConfig when it differs from what was last written.</summary>
    private async Task RecordAsync()
    {
        var degraded = _monitor.Degraded;
        if (_recordedDegraded == degraded)
        {
            return;
        }

        try
        {
            await conditions.SetAsync(
                options.Value.RunnerConfigNamespaceOf(ClusterId), ClusterId, ConditionTypes.FederationChannelDegraded, degraded,
                degraded ? ConditionReasons.HeartbeatsMissed : "HeartbeatsAcknowledged",
                degraded
                    ? $"Management's last {_monitor.Missed} heartbeats to cluster {ClusterId} went unacknowledged"
                    : $"Cluster {ClusterId} acknowledges management's heartbeats");
            _recordedDegraded = degraded;
        }
        catch (Exception e)
        {
            LogRecordFailed(logger, e, ClusterId); // retried on the next tick or acknowledgement
        }
    }

    [LoggerMessage(EventId = 3126, Level = LogLevel.Information,
        Message = "Pushing PermissionSnapshot {Namespace}/{Name} version {Version} to cluster {ClusterId} (onboarding)")]
    private static partial void LogOffering(ILogger logger, string clusterId, string @namespace, string name, string version);

    [LoggerMessage(EventId = 3129, Level = LogLevel.Information,
        Message = "Pushing PermissionSnapshot {Namespace}/{Name} version {Version} to connected cluster {ClusterId} (just signed)")]
    private static partial void LogPushingSigned(ILogger logger, string clusterId, string @namespace, string name, string version);

    [LoggerMessage(EventId = 3127, Level = LogLevel.Warning,
        Message = "Could not list the PermissionSnapshots to push to cluster {ClusterId}; they are pushed at its next connect")]
    private static partial void LogOfferFailed(ILogger logger, Exception exception, string clusterId);

    [LoggerMessage(EventId = 3128, Level = LogLevel.Warning,
        Message = "Could not record cluster {ClusterId}'s acknowledgement of PermissionSnapshot {Name}; it is pushed again at its next connect")]
    private static partial void LogAckRecordFailed(ILogger logger, Exception exception, string clusterId, string name);

    [LoggerMessage(EventId = 3120, Level = LogLevel.Information, Message = "Federation session of cluster {ClusterId} bound to stream {StreamId}")]
    private static partial void LogConnected(ILogger logger, string clusterId, Guid streamId);

    [LoggerMessage(EventId = 3121, Level = LogLevel.Information, Message = "Federation session of cluster {ClusterId} lost stream {StreamId}")]
    private static partial void LogDisconnected(ILogger logger, string clusterId, Guid streamId);

    [LoggerMessage(EventId = 3122, Level = LogLevel.Warning,
        Message = "Federation channel of cluster {ClusterId} degraded: {Missed} heartbeats unacknowledged (stream connected: {Connected})")]
    private static partial void LogDegraded(ILogger logger, string clusterId, int missed, bool connected);

    [LoggerMessage(EventId = 3123, Level = LogLevel.Information, Message = "Federation channel of cluster {ClusterId} restored")]
    private static partial void LogRestored(ILogger logger, string clusterId);

    [LoggerMessage(EventId = 3124, Level = LogLevel.Warning, Message = "Federation stream {StreamId} of cluster {ClusterId} is gone; waiting for the tenant to reconnect")]
    private static partial void LogObserverLost(ILogger logger, Exception exception, string clusterId, Guid? streamId);

    [LoggerMessage(EventId = 3125, Level = LogLevel.Warning,
        Message = "Could not record the federation channel state of cluster {ClusterId} on its RunnerConfig; retrying on the next heartbeat")]
    private static partial void LogRecordFailed(ILogger logger, Exception exception, string clusterId);
}
