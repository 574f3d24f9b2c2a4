using Conductor.Federation;
using Conductor.Silo.Federation.Protocol;

namespace Conductor.Silo.Federation.Gateway;

/// <summary>What the session grain sends to a tenant, queued on that tenant's stream.</summary>
internal sealed class TenantStreamObserver(EnvelopeOutbox outbox) : ITenantStreamObserver
{
    public Task SendHeartBeatAsync() => outbox.SendAsync(FederationMapping.HeartBeat(isAck: false)).AsTask();

    public Task SendAuditAckAsync(ulong highWaterMark) => outbox.SendAsync(FederationMapping.AuditAck(highWaterMark)).AsTask();

    public Task SendRevocationAsync(RevocationNotice notice) => outbox.SendAsync(FederationMapping.Revocation(notice)).AsTask();

    public Task SendPermissionSnapshotAsync(PermissionSnapshotOffer offer) => outbox.SendAsync(FederationMapping.SnapshotPush(offer)).AsTask();
}
