using Conductor.Federation;

namespace Conductor.Custody;

/// <summary>
/// Where the tenant's federation client hands a PermissionSnapshot management pushed during onboarding (seed §15).
/// The tenant's custody verification implements it: it verifies the signature, installs the verified snapshot in the
/// agent namespace, writes the PermissionSnapshotReceipt, and returns what the client acknowledges over the channel.
/// </summary>
public interface IPermissionSnapshotInbox
{
    Task<PermissionSnapshotAcknowledgement> ReceiveAsync(PermissionSnapshotOffer offer, CancellationToken cancellationToken);
}
