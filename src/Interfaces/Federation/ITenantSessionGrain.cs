namespace Conductor.Federation;

/// <summary>
/// One per tenant cluster (key: cluster id). Owns the channel's connection state, last heartbeat, missed-ack
/// count and degraded state; sends management heartbeats on a timer; pushes to the live stream through its
/// observer. Degraded changes are recorded in the tenant's RunnerConfig status on the management cluster.
/// </summary>
public interface ITenantSessionGrain : IGrainWithStringKey
{
    /// <summary>
    /// Registers a newly opened stream (replacing any older one) and reconciles it: sends the audit high-water
    /// mark and every revocation issued for this cluster, so what happened while the tenant was away reaches it,
    /// then pushes every signed PermissionSnapshot whose acknowledgement is not yet recorded on the tenant's
    /// TalosCluster (onboarding handshake, seed §15).
    /// </summary>
    Task ConnectAsync(Guid streamId, ITenantStreamObserver observer);

    /// <summary>Forgets the stream if it is still the current one; a replaced stream's late call changes nothing.</summary>
    Task DisconnectAsync(Guid streamId);

    /// <summary>The tenant sent a heartbeat on <paramref name="streamId"/>.</summary>
    Task HeartBeatReceivedAsync(Guid streamId);

    /// <summary>The tenant acknowledged a management heartbeat on <paramref name="streamId"/>.</summary>
    Task HeartBeatAckedAsync(Guid streamId);

    /// <summary>Pushes a revocation to the live stream; without one, it reaches the tenant at its next connect.</summary>
    Task PushRevocationAsync(RevocationNotice notice);

    /// <summary>
    /// The signer just (re-)signed PermissionSnapshot <paramref name="name"/> for this cluster: push it to the live
    /// stream, whose acknowledgement is then recorded as at onboarding. Without a stream nothing is sent; the next
    /// connect offers it.
    /// </summary>
    Task PushPermissionSnapshotAsync(string name);

    /// <summary>
    /// The tenant answered a PermissionSnapshot push on <paramref name="streamId"/>: the answer is recorded as the
    /// PermissionSnapshotAcknowledged condition of the tenant's TalosCluster and, when verified, as the snapshot's
    /// <c>status.lastAckedVersion</c> and <c>status.lastAckedSignatureDigest</c> (a re-signature of the same version is
    /// not acknowledged until the tenant acknowledges that signature).
    /// </summary>
    Task PermissionSnapshotAckedAsync(Guid streamId, PermissionSnapshotAcknowledgement acknowledgement);

    Task<TenantSessionStatus> GetStatusAsync();
}
