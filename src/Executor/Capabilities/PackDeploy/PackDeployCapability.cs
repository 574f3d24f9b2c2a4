using System.Text.Json;
using Conductor.Executor.Custody;
using Conductor.Executor.Runs;
using Conductor.Executor.TargetCluster;
using Conductor.Registry.Distribution;
using Conductor.Resources;
using Conductor.Resources.Dispatcher;
using Conductor.Runner.Capabilities;
using Conductor.Runner.Results;
using Conductor.Signing;
using Microsoft.Extensions.Logging;

namespace Conductor.Executor.Capabilities.PackDeploy;

/// <summary>
/// pack-deploy: deploys the PackDelivery a PackExecution names to the target cluster. The order of the steps is the
/// point: the management signature is verified before anything is pulled, every layer digest before anything is
/// applied; Namespaces go first (RBAC and workloads live in them), then RBAC (workloads run under it), then
/// cluster-scoped objects (CRDs must be Established before custom resources of the workload layer), then the workload.
/// Only when everything is ready are the objects the previous version had and this one lacks pruned. A run that fails
/// after applying anything (not ready, a failed apply or prune) still writes the receipt, marked Incomplete, listing
/// this run's objects plus the previous inventory, so the next version prunes whatever either left behind.
/// </summary>
public sealed class PackDeployCapability(Func<OciRegistryClient> registry) : ICapability
{
    /// <summary>The step parameter naming the PackExecution (catalog schema).</summary>
    public const string PackExecutionParameter = "packExecutionRef";

    public string Name => CapabilityNames.PackDeploy;

    public bool Implemented => true;

    public Task<CapabilityOutcome> RunAsync(CapabilityContext context, CancellationToken cancellationToken)
    {
        var steps = new StepLog(context.Time);
        return steps.OutcomeAsync(() => DeployAsync(context, steps, cancellationToken), cancellationToken);
    }

    private async Task<CapabilityOutcome> DeployAsync(CapabilityContext context, StepLog steps, CancellationToken cancellationToken)
    {
        var cluster = context.ClusterRef;
        var log = context.Logger;
        var @namespace = SignedArtifactSecret.TenantNamespace(cluster);
        var (pack, delivery) = await steps.RunAsync("verify-signature", () => ReadVerifiedAsync(context, @namespace, cancellationToken));

        using var client = registry();
        var content = await steps.RunAsync("pull-layers", async () =>
        {
            var pulled = await new PackLayerSource(client).PullAsync(delivery, $"{PackDelivery.KindName} {@namespace}/{pack}", cancellationToken);
            var layers = string.Join(", ", pulled.All.Select(l => $"{l.Name} {l.Reference.Digest}"));
            PackDeployLog.Pulled(log, pack, pulled.All.Count(), layers);
            return (pulled, $"pulled and verified {layers}");
        });

        using var target = TargetClusterClient.Create(context.TargetKubeconfigPath);
        var applier = new ServerSideApplier(target, cluster);
        var receipts = new PackReceipts(applier);
        var previous = await receipts.ReadInventoryAsync(pack, cancellationToken);
        var applied = new List<DeployedResource>();
        try
        {
            await ApplyReadyAndPruneAsync(context, steps, pack, content, applier, previous, applied, cancellationToken);
        }
        catch (Exception e) when (applied.Count > 0 && (e is CapabilityFailureException or HttpRequestException or IOException
            || e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            await RecordIncompleteAsync(steps, log, receipts, pack, cluster, delivery, previous, applied, e, cancellationToken);
            throw;
        }

        await steps.RunAsync("write-receipt", async () =>
        {
            await receipts.WriteAsync(pack, cluster, delivery, applied, PackReceipts.Deployed, cancellationToken);
            PackDeployLog.ReceiptWritten(log, pack, applied.Count, PackReceipts.Deployed);
            return $"{PackReceipt.KindName} {PackReceipts.Namespace}/{pack} lists {applied.Count} applied objects";
        });

        var receipt = PackReceipts.Identity(pack);
        return new CapabilityOutcome
        {
            Phase = "Deployed",
            Status = OperationStatus.Succeeded,
            Steps = steps.Steps,
            Artifacts =
            [
                new ArtifactReference
                {
                    Name = "pack-receipt",
                    Kind = ArtifactKind.KubernetesResource,
                    Reference = $"{receipt.ApiVersion}/{receipt.Kind}/{receipt.Namespace}/{receipt.Name}",
                },
                .. content.All.Select(layer => new ArtifactReference
                {
                    Name = $"{layer.Name}-layer",
                    Kind = ArtifactKind.OciImage,
                    Reference = layer.Reference.ToString(),
                }),
            ],
        };
    }

    /// <summary>Applies every stage in order, waits for readiness, then prunes; <paramref name="applied"/> grows as objects are placed.</summary>
    private static async Task ApplyReadyAndPruneAsync(CapabilityContext context, StepLog steps, string pack, PackContent content,
        ServerSideApplier applier, IReadOnlyList<DeployedResource> previous, List<DeployedResource> applied, CancellationToken cancellationToken)
    {
        var log = context.Logger;
        var readiness = new Readiness(applier, context.Time);
        var namespaces = content.Workload.Objects.Where(IsNamespace).ToList();
        await ApplyStageAsync(context, steps, pack, "apply-namespaces", namespaces, applier, applied, cancellationToken);
        await ApplyStageAsync(context, steps, pack, "apply-rbac", content.Rbac.Objects, applier, applied, cancellationToken);
        var deadline = context.Time.GetUtcNow() + context.ReadyTimeout;
        if (content.ClusterScoped is { } clusterScoped)
        {
            var placed = await ApplyStageAsync(context, steps, pack, "apply-cluster-scoped", clusterScoped.Objects, applier, applied, cancellationToken);
            await WaitAsync(steps, log, pack, "wait-established", readiness, placed, deadline, context.ReadyTimeout, "CRDs established", cancellationToken);
        }
        var workload = await ApplyStageAsync(context, steps, pack, "apply-workload", content.Workload.Objects.Where(o => !IsNamespace(o)).ToList(),
            applier, applied, cancellationToken);
        await WaitAsync(steps, log, pack, "wait-ready", readiness, workload, deadline, context.ReadyTimeout, "workloads ready", cancellationToken);

        await steps.RunAsync("prune", async () =>
        {
            var current = applied.ToHashSet();
            var dropped = previous.Where(r => !current.Contains(r)).Reverse().ToList();
            // A Namespace the new version no longer lists may hold objects the pack never owned (tenants' own workloads,
            // other packs): deleting it would cascade to them, so it is left in place and named in the log instead.
            var keptNamespaces = dropped.Where(r => r is { ApiVersion: "v1", Kind: "Namespace" }).ToList();
            var stale = dropped.Except(keptNamespaces).ToList();
            if (keptNamespaces.Count > 0)
            {
                PackDeployLog.NamespacesKept(log, pack, string.Join(", ", keptNamespaces.Select(ServerSideApplier.Describe)));
            }
            var deleted = 0;
            foreach (var resource in stale)
            {
                deleted += await applier.DeleteAsync(resource, cancellationToken) ? 1 : 0;
            }
            PackDeployLog.Pruned(log, pack, deleted, stale.Count, string.Join(", ", stale.Select(ServerSideApplier.Describe)));
            return $"{deleted} of {stale.Count} objects of the previous version deleted";
        });
    }

    private static Task WaitAsync(StepLog steps, ILogger log, string pack, string phase, Readiness readiness, IReadOnlyList<DeployedResource> placed,
        DateTimeOffset deadline, TimeSpan timeout, string what, CancellationToken cancellationToken) =>
        steps.RunAsync(phase, async () =>
        {
            try
            {
                await readiness.WaitAsync(placed, deadline, timeout, cancellationToken);
            }
            catch (CapabilityFailureException e)
            {
                PackDeployLog.NotReady(log, pack, phase, e.Message);
                throw;
            }
            var watched = placed.Count(Readiness.IsWatched);
            PackDeployLog.Ready(log, pack, phase, watched);
            return $"{watched} {what}";
        });

    /// <summary>
    /// A deployment that failed after applying something still records what may now exist on the target: everything
    /// applied by this run plus the previous inventory (not pruned yet), so the next version prunes both correctly.
    /// </summary>
    private static async Task RecordIncompleteAsync(StepLog steps, ILogger log, PackReceipts receipts, string pack, string cluster,
        PackDeliverySpec delivery, IReadOnlyList<DeployedResource> previous, IReadOnlyList<DeployedResource> applied, Exception failure,
        CancellationToken cancellationToken)
    {
        var inventory = applied.Concat(previous).Distinct().ToList();
        try
        {
            await steps.RunAsync("record-inventory", async () =>
            {
                await receipts.WriteAsync(pack, cluster, delivery, inventory, PackReceipts.Incomplete, cancellationToken);
                PackDeployLog.ReceiptWritten(log, pack, inventory.Count, PackReceipts.Incomplete);
                return $"{PackReceipt.KindName} {PackReceipts.Namespace}/{pack} lists {inventory.Count} objects that may exist after the failure " +
                    $"({applied.Count} applied by this run), marked {PackReceipts.Incomplete}";
            });
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The deployment's own failure is what the result reports; this one is logged for the operator.
            PackDeployLog.InventoryNotRecorded(log, pack, inventory.Count, $"{e.Message} (after: {failure.Message})", e);
        }
    }

    private static async Task<((string Pack, PackDeliverySpec Delivery) Value, string Message)> ReadVerifiedAsync(
        CapabilityContext context, string @namespace, CancellationToken cancellationToken)
    {
        var trusted = ManagementResources.LoadTrustedKeys(context.TrustedKeysDirectory);
        var management = new ManagementResources(context.Management);
        var executionName = context.Parameters[PackExecutionParameter]!.GetValue<string>();
        var execution = await management.ReadAsync(SeamApi.Group, SeamApi.Version, PackExecution.Plural, PackExecution.KindName, @namespace,
            executionName, cancellationToken);
        var executionSpec = Spec<PackExecutionSpec>(execution, $"{PackExecution.KindName} {@namespace}/{executionName}");
        if (executionSpec.TargetClusterRef != context.ClusterRef)
        {
            throw new CapabilityFailureException(FailureCategory.ValidationFailure,
                $"{PackExecution.KindName} {@namespace}/{executionName} targets cluster '{executionSpec.TargetClusterRef}', not '{context.ClusterRef}' this Job was started for");
        }

        var pack = executionSpec.ClusterPackRef.Name;
        var what = $"{PackDelivery.KindName} {@namespace}/{pack}";
        var raw = await management.ReadAsync(SeamApi.Group, SeamApi.Version, PackDelivery.Plural, PackDelivery.KindName, @namespace, pack,
            cancellationToken);
        var keyId = ManagementResources.VerifySignature(raw, what, trusted);
        var delivery = Spec<PackDeliverySpec>(raw, what);
        if (delivery.Version != executionSpec.ClusterPackRef.Version)
        {
            throw new CapabilityFailureException(FailureCategory.ValidationFailure,
                $"{what} is version '{delivery.Version}' but {PackExecution.KindName} {@namespace}/{executionName} asks for '{executionSpec.ClusterPackRef.Version}'");
        }
        PackDeployLog.Verified(context.Logger, pack, delivery.Version, keyId);
        return ((pack, delivery), $"{what} version {delivery.Version} is signed by trusted key {keyId}");
    }

    private static async Task<IReadOnlyList<DeployedResource>> ApplyStageAsync(CapabilityContext context, StepLog steps, string pack, string name,
        IReadOnlyList<ManifestObject> objects, ServerSideApplier applier, List<DeployedResource> applied, CancellationToken cancellationToken)
    {
        if (objects.Count == 0)
        {
            return [];
        }
        return await steps.RunAsync(name, async () =>
        {
            var placed = new List<DeployedResource>();
            foreach (var manifest in objects)
            {
                var identity = (await applier.ApplyAsync(manifest, cancellationToken)).Identity;
                placed.Add(identity);
                applied.Add(identity);
            }
            PackDeployLog.Applied(context.Logger, pack, name, placed.Count, context.ClusterRef);
            return ((IReadOnlyList<DeployedResource>)placed, $"{placed.Count} objects applied");
        });
    }

    private static T Spec<T>(JsonElement resource, string what)
    {
        try
        {
            return resource.TryGetProperty("spec", out var spec) && spec.Deserialize<T>() is { } value
                ? value
                : throw new CapabilityFailureException(FailureCategory.ValidationFailure, $"{what} has no spec");
        }
        catch (JsonException e)
        {
            throw new CapabilityFailureException(FailureCategory.ValidationFailure, $"{what} has an invalid spec: {e.Message}", e);
        }
    }

    private static bool IsNamespace(ManifestObject manifest) => manifest is { ApiVersion: "v1", Kind: "Namespace" };
}
