namespace Conductor.Federation;

/// <summary>
/// The live federation stream of one tenant, as the session grain sees it. The gateway implements it and queues
/// each call on the stream's single writer, so a call completes once the message is queued, not delivered.
/// </summary>
public interface ITenantStreamObserver : IGrainObserver
{
    /// <summary>Sends a management heartbeat; the tenant answers with an acknowledgement.</summary>
    Task SendHeartBeatAsync();

    /// <summary>Tells the tenant that every audit event up to <paramref name="highWaterMark"/> is durably stored.</summary>
    Task SendAuditAckAsync(ulong highWaterMark);

    /// <summary>Pushes a revocation the tenant must apply at once.</summary>
    Task SendRevocationAsync(RevocationNotice notice);

    /// <summary>Onboarding handshake: pushes a signed PermissionSnapshot for the tenant to verify and acknowledge.</summary>
    Task SendPermissionSnapshotAsync(PermissionSnapshotOffer offer);
}
