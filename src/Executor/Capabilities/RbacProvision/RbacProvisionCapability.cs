using System.Text.Json;
using Conductor.Executor.Custody;
using Conductor.Executor.Runs;
using Conductor.Executor.TargetCluster;
using Conductor.Resources;
using Conductor.Resources.Dispatcher;
using Conductor.Resources.Guardian;
using Conductor.Runner.Capabilities;
using Conductor.Runner.Results;
using Conductor.Signing;

namespace Conductor.Executor.Capabilities.RbacProvision;

/// <summary>
/// rbac-provision: applies the RBAC of a PermissionSnapshot (in <c>seam-tenant-{cluster}</c> on management) to the
/// target cluster with server-side apply. The signature is verified, and the snapshot must target this cluster, before
/// the target is even contacted: an unsigned, tampered or untrusted snapshot applies nothing. After applying, the
/// objects an older version of the same snapshot created and this version lacks are deleted; objects of other
/// snapshots, or not created by Conductor, are never touched.
/// </summary>
public sealed class RbacProvisionCapability : ICapability
{
    /// <summary>The step parameter naming the PermissionSnapshot (catalog schema).</summary>
    public const string SnapshotParameter = "permissionSnapshotRef";

    public string Name => CapabilityNames.RbacProvision;

    public bool Implemented => true;

    public Task<CapabilityOutcome> RunAsync(CapabilityContext context, CancellationToken cancellationToken)
    {
        var steps = new StepLog(context.Time);
        return steps.OutcomeAsync(() => ProvisionAsync(context, steps, cancellationToken), cancellationToken);
    }

    private static async Task<CapabilityOutcome> ProvisionAsync(CapabilityContext context, StepLog steps, CancellationToken cancellationToken)
    {
        var cluster = context.ClusterRef;
        var @namespace = SignedArtifactSecret.TenantNamespace(cluster);
        var name = context.Parameters[SnapshotParameter]!.GetValue<string>();
        var snapshot = $"{@namespace}/{name}";
        var what = $"{PermissionSnapshot.KindName} {snapshot}";
        var objects = await steps.RunAsync("verify-signature", async () =>
        {
            var trusted = ManagementResources.LoadTrustedKeys(context.TrustedKeysDirectory);
            var raw = await new ManagementResources(context.Management).ReadAsync(GuardianApi.Group, GuardianApi.Version, PermissionSnapshot.Plural,
                PermissionSnapshot.KindName, @namespace, name, cancellationToken);
            var keyId = ManagementResources.VerifySignature(raw, what, trusted);
            var spec = Spec(raw, what);
            if (spec.TargetCluster != cluster)
            {
                throw new CapabilityFailureException(FailureCategory.ValidationFailure,
                    $"{what} targets cluster '{spec.TargetCluster}', not '{cluster}' this Job was started for; nothing was applied");
            }
            RbacProvisionLog.Verified(context.Logger, what, spec.Version, keyId);
            return (SnapshotRbac.Build(snapshot, spec, cluster), $"{what} version {spec.Version} is signed by trusted key {keyId}");
        });

        using var target = TargetClusterClient.Create(context.TargetKubeconfigPath);
        var applier = new ServerSideApplier(target, cluster);
        var applied = await steps.RunAsync("apply-rbac", async () =>
        {
            var placed = new List<DeployedResource>();
            foreach (var manifest in objects)
            {
                placed.Add((await applier.ApplyAsync(manifest, cancellationToken)).Identity);
            }
            RbacProvisionLog.Applied(context.Logger, what, placed.Count, cluster);
            return (placed, $"{placed.Count} RBAC objects applied");
        });
        // Only after the new version is in place: a subject never loses access it keeps across versions.
        await steps.RunAsync("prune", async () =>
        {
            var leftovers = await new SnapshotRbacPruner(target, cluster).FindLeftoversAsync(snapshot, applied, cancellationToken);
            var deleted = 0;
            foreach (var leftover in leftovers)
            {
                deleted += await applier.DeleteAsync(leftover.Resource, cancellationToken) ? 1 : 0;
            }
            RbacProvisionLog.Pruned(context.Logger, what, deleted, leftovers.Count,
                string.Join(", ", leftovers.Select(l => $"{ServerSideApplier.Describe(l.Resource)} of version {l.Version}")));
            return $"{deleted} of {leftovers.Count} RBAC objects of older versions deleted";
        });
        return new CapabilityOutcome { Phase = "Provisioned", Status = OperationStatus.Succeeded, Steps = steps.Steps };
    }

    private static PermissionSnapshotSpec Spec(JsonElement resource, string what)
    {
        try
        {
            return resource.TryGetProperty("spec", out var spec) && spec.Deserialize<PermissionSnapshotSpec>() is { } value
                ? value
                : throw new CapabilityFailureException(FailureCategory.ValidationFailure, $"{what} has no spec");
        }
        catch (JsonException e)
        {
            throw new CapabilityFailureException(FailureCategory.ValidationFailure, $"{what} has an invalid spec: {e.Message}", e);
        }
    }
}
