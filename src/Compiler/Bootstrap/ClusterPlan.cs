using Conductor.Compiler.Bootstrap.Input;
using Conductor.Compiler.Talos;
using Conductor.Compiler.Talos.Import;
using Conductor.Compiler.Validation.ClusterInputRules;
using Conductor.Resources.Platform;

namespace Conductor.Compiler.Bootstrap;

/// <summary>A validated ClusterInput with every default and extraction resolved (compiler notes §1.3 #7–9).</summary>
internal sealed record ClusterPlan(
    ClusterInput Input,
    string Name,
    string Namespace,
    ClusterMode Mode,
    ClusterRole Role,
    TalosVersion TalosVersion,
    string KubernetesVersion,
    Uri Endpoint,
    string InstallDisk,
    string InstallerImage,
    ExistingMachineConfig? ImportSource)
{
    public const string DefaultInstallDisk = "/dev/sda";

    public IReadOnlyList<NodeInput> Nodes => Input.Nodes;

    /// <summary>Resolves a context that passed <see cref="ClusterInputValidator"/>; anything else is a programming error.</summary>
    public static ClusterPlan From(ClusterInputContext context)
    {
        var input = context.Input;
        var bootstrap = input.Bootstrap ?? throw new InvalidOperationException("validated input has a bootstrap section");
        var talos = context.TalosVersion ?? throw new InvalidOperationException("validated input has a supported Talos version");
        var source = context.SourceConfig;
        var endpointText = bootstrap.ControlPlaneEndpoint ?? source?.Endpoint
            ?? throw new InvalidOperationException("validated input has an endpoint");
        return new ClusterPlan(
            input,
            input.Name!,
            input.Namespace ?? ClusterInput.DefaultNamespace,
            context.IsImport ? ClusterMode.Import : ClusterMode.Bootstrap,
            input.Role == "tenant" ? ClusterRole.Tenant : ClusterRole.Management,
            talos,
            bootstrap.KubernetesVersion ?? talos.DefaultKubernetesVersion!,
            ControlPlaneEndpoint.TryParse(endpointText, out _)!,
            bootstrap.InstallDisk ?? source?.InstallDisk ?? DefaultInstallDisk,
            bootstrap.InstallerImage ?? $"ghcr.io/siderolabs/installer:{talos.Tag}",
            context.IsImport ? source : null);
    }
}
