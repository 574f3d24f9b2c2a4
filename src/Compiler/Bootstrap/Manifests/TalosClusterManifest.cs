using Conductor.Compiler.Bootstrap.Input;
using Conductor.Compiler.Yaml;
using Conductor.Resources.Platform;
using Conductor.Resources.References;
using k8s.Models;

namespace Conductor.Compiler.Bootstrap.Manifests;

/// <summary>The TalosCluster CR (compiler notes §1.5.3), built from the shared resource model.</summary>
internal static class TalosClusterManifest
{
    public static TalosCluster Create(ClusterPlan plan) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = plan.Name,
            NamespaceProperty = plan.Namespace,
            Annotations = new Dictionary<string, string> { [Labels.OwnsRunnerConfig] = "true" },
        },
        Spec = new TalosClusterSpec
        {
            Mode = plan.Mode,
            Role = plan.Role,
            TalosVersion = plan.TalosVersion.Tag,
            KubernetesVersion = plan.KubernetesVersion,
            ClusterEndpoint = ControlPlaneEndpoint.WithoutScheme(plan.Endpoint),
            Capi = Capi(plan.Input.Capi),
            TalosconfigSecretRef = new NamespacedRef
            {
                Name = BootstrapNames.TalosconfigSecret(plan.Name),
                Namespace = BootstrapNames.TenantNamespace(plan.Name),
            },
        },
    };

    public static string Build(ClusterPlan plan) => ResourceYaml.Emit(Create(plan));

    private static CapiSpec? Capi(CapiInput? capi) => capi is not { Enabled: true } ? null : new CapiSpec
    {
        Enabled = true,
        TalosVersion = Empty(capi.TalosVersion),
        KubernetesVersion = Empty(capi.KubernetesVersion),
        ControlPlane = capi.ControlPlane is null ? null : new CapiControlPlane { Replicas = capi.ControlPlane.Replicas },
        Workers = capi.Workers is { Count: > 0 } workers
            ? [.. workers.Select(w => new CapiWorkerPool
            {
                Name = w.Name!,
                Replicas = w.Replicas,
                SeamInfrastructureMachineNames = w.Machines is { Count: > 0 } machines ? machines : null,
            })]
            : null,
        CiliumPackRef = capi.CiliumPackRef is { } pack ? new CiliumPackRef { Name = Empty(pack.Name), Version = Empty(pack.Version) } : null,
    };

    private static string? Empty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
