using System.Collections.Immutable;

namespace Conductor.Federation;

/// <summary>
/// One per tenant cluster (key: cluster id): the revocations issued for artifacts that cluster holds
/// (PackInstalled.spec.targetClusterRef, PermissionSnapshot.spec.targetCluster), recorded in Kubernetes and
/// pushed through the cluster's session grain.
/// </summary>
public interface IRevocationGrain : IGrainWithStringKey
{
    /// <summary>Records the revocation (once per <see cref="RevocationNotice.RevocationId"/>) and pushes it.</summary>
    Task RevokeAsync(RevocationNotice notice);

    /// <summary>
    /// Every revocation recorded for this cluster, oldest first: what <see cref="IRevocationLedgerGrain.ListAsync"/>
    /// answers for it. Interleaves, so a read never waits behind this grain's push to the session grain. Readers on
    /// the silo (the session grain, the dashboard) ask the ledger directly and activate no grain per tenant.
    /// </summary>
    [Orleans.Concurrency.AlwaysInterleave]
    Task<ImmutableArray<RevocationNotice>> ListAsync();
}
