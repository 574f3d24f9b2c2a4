using System.Text.Json;
using Conductor.Executor.Custody;
using Conductor.Executor.Runs;
using Conductor.Executor.TargetCluster;
using Conductor.Resources;
using Conductor.Resources.Guardian;
using Conductor.Runner.Capabilities;
using Conductor.Runner.Results;
using Conductor.Signing;

namespace Conductor.Executor.Capabilities.RbacProvision;

/// <summary>
/// rbac-provision: applies the RBAC of a PermissionSnapshot (in <c>seam-tenant-{cluster}</c> on management) to the
/// target cluster with server-side apply. The signature is verified, and the snapshot must target this cluster, before
/// the target is even contacted: an unsigned, tampered or untrusted snapshot applies nothing.
/// </summary>
public sealed class RbacProvisionCapability : ICapability
{
    /// <summary>The step parameter naming the PermissionSnapshot (catalog schema).</summary>
    public const string SnapshotParameter = "permissionSnapshotRef";

    public string Name => CapabilityNames.RbacProvision;

    public bool Implemented => true;

    public async Task<CapabilityOutcome> RunAsync(CapabilityContext context, CancellationToken cancellationToken)
    {
        var steps = new StepLog(context.Time);
        try
        {
            var cluster = context.ClusterRef;
            var @namespace = SignedArtifactSecret.TenantNamespace(cluster);
            var name = context.Parameters[SnapshotParameter]!.GetValue<string>();
            var what = $"{PermissionSnapshot.KindName} {@namespace}/{name}";
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
                return (SnapshotRbac.Build($"{@namespace}/{name}", spec, cluster), $"{what} version {spec.Version} is signed by trusted key {keyId}");
            });

            using var target = TargetClusterClient.Create(context.TargetKubeconfigPath);
            var applier = new ServerSideApplier(target, cluster);
            await steps.RunAsync("apply-rbac", async () =>
            {
                foreach (var manifest in objects)
                {
                    await applier.ApplyAsync(manifest, cancellationToken);
                }
                return $"{objects.Count} RBAC objects applied";
            });
            return new CapabilityOutcome { Phase = "Provisioned", Status = OperationStatus.Succeeded, Steps = steps.Steps };
        }
        catch (CapabilityFailureException e)
        {
            return steps.Failed(e);
        }
        catch (Exception e) when (e is HttpRequestException or IOException || e is OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // An API server that cannot be reached (or a request that timed out) still leaves the steps that ran.
            return steps.Failed(new CapabilityFailureException(FailureCategory.ExecutionFailure, $"a cluster API call failed: {e.Message}", e));
        }
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
