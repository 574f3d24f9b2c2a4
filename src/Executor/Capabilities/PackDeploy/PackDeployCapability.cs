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

namespace Conductor.Executor.Capabilities.PackDeploy;

/// <summary>
/// pack-deploy: deploys the PackDelivery a PackExecution names to the target cluster. The order of the steps is the
/// point: the management signature is verified before anything is pulled, every layer digest before anything is
/// applied; Namespaces go first (RBAC and workloads live in them), then RBAC (workloads run under it), then
/// cluster-scoped objects (CRDs must be Established before custom resources of the workload layer), then the workload.
/// Only when everything is ready are the objects the previous version had and this one lacks pruned, and only then
/// is the receipt rewritten, so a failed prune is retried from the old inventory next time.
/// </summary>
public sealed class PackDeployCapability(Func<OciRegistryClient> registry) : ICapability
{
    /// <summary>The step parameter naming the PackExecution (catalog schema).</summary>
    public const string PackExecutionParameter = "packExecutionRef";

    public string Name => CapabilityNames.PackDeploy;

    public bool Implemented => true;

    public async Task<CapabilityOutcome> RunAsync(CapabilityContext context, CancellationToken cancellationToken)
    {
        var steps = new StepLog(context.Time);
        try
        {
            return await DeployAsync(context, steps, cancellationToken);
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

    private async Task<CapabilityOutcome> DeployAsync(CapabilityContext context, StepLog steps, CancellationToken cancellationToken)
    {
        var cluster = context.ClusterRef;
        var @namespace = SignedArtifactSecret.TenantNamespace(cluster);
        var (pack, delivery) = await steps.RunAsync("verify-signature", () => ReadVerifiedAsync(context, @namespace, cancellationToken));

        using var client = registry();
        var content = await steps.RunAsync("pull-layers", async () =>
        {
            var pulled = await new PackLayerSource(client).PullAsync(delivery, $"{PackDelivery.KindName} {@namespace}/{pack}", cancellationToken);
            return (pulled, $"pulled and verified {string.Join(", ", pulled.All.Select(l => $"{l.Name} {l.Reference.Digest}"))}");
        });

        using var target = TargetClusterClient.Create(context.TargetKubeconfigPath);
        var applier = new ServerSideApplier(target, cluster);
        var receipts = new PackReceipts(applier);
        var readiness = new Readiness(applier, context.Time);
        var previous = await receipts.ReadInventoryAsync(pack, cancellationToken);

        var namespaces = content.Workload.Objects.Where(IsNamespace).ToList();
        var applied = new List<DeployedResource>();
        await ApplyStageAsync(steps, "apply-namespaces", namespaces, applier, applied, cancellationToken);
        await ApplyStageAsync(steps, "apply-rbac", content.Rbac.Objects, applier, applied, cancellationToken);
        var deadline = context.Time.GetUtcNow() + context.ReadyTimeout;
        if (content.ClusterScoped is { } clusterScoped)
        {
            var placed = await ApplyStageAsync(steps, "apply-cluster-scoped", clusterScoped.Objects, applier, applied, cancellationToken);
            await steps.RunAsync("wait-established", async () =>
            {
                await readiness.WaitAsync(placed, deadline, context.ReadyTimeout, cancellationToken);
                return $"{placed.Count(Readiness.IsWatched)} CRDs established";
            });
        }
        var workload = await ApplyStageAsync(steps, "apply-workload", content.Workload.Objects.Where(o => !IsNamespace(o)).ToList(), applier, applied,
            cancellationToken);

        await steps.RunAsync("wait-ready", async () =>
        {
            await readiness.WaitAsync(workload, deadline, context.ReadyTimeout, cancellationToken);
            return $"{workload.Count(Readiness.IsWatched)} workloads ready";
        });

        await steps.RunAsync("prune", async () =>
        {
            var current = applied.ToHashSet();
            var stale = previous.Where(r => !current.Contains(r)).Reverse().ToList();
            var deleted = 0;
            foreach (var resource in stale)
            {
                deleted += await applier.DeleteAsync(resource, cancellationToken) ? 1 : 0;
            }
            return $"{deleted} of {stale.Count} objects of the previous version deleted";
        });

        await steps.RunAsync("write-receipt", async () =>
        {
            await receipts.WriteAsync(pack, cluster, delivery, applied, cancellationToken);
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
        return ((pack, delivery), $"{what} version {delivery.Version} is signed by trusted key {keyId}");
    }

    private static async Task<IReadOnlyList<DeployedResource>> ApplyStageAsync(StepLog steps, string name, IReadOnlyList<ManifestObject> objects,
        ServerSideApplier applier, List<DeployedResource> applied, CancellationToken cancellationToken)
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
