using System.Text;
using Conductor.Compiler.ClusterAccess;
using Conductor.Components;

namespace Conductor.Compiler.Components.Discovery;

/// <summary>The text <c>compiler component --discover</c> prints: what is deployed where, and the command that writes its RBAC.</summary>
internal static class DiscoveryReport
{
    public static string Render(KubeconfigLocation location, ClusterWorkloads.Listing listing, string? scannedNamespace,
        IReadOnlyList<ComponentDefinition> catalog, string catalogVersion, IReadOnlyList<DetectedComponent> detected)
    {
        var text = new StringBuilder();
        text.Append($"Component catalog {catalogVersion} against {listing.Server} (kubeconfig {location.Path}, from {location.Source}).\n");
        var deployments = listing.Workloads.Count(w => w.Kind == WorkloadKind.Deployment);
        var daemonSets = listing.Workloads.Count(w => w.Kind == WorkloadKind.DaemonSet);
        text.Append($"Scanned {deployments} Deployment(s) and {daemonSets} DaemonSet(s) {(scannedNamespace is null ? "in all namespaces" : $"in namespace {scannedNamespace}")}.\n\n");

        text.Append("Deployed:\n");
        if (detected.Count == 0)
        {
            text.Append("  (no catalog component)\n");
        }
        foreach (var component in detected)
        {
            text.Append($"  {component.Definition.Name} {component.Definition.Version} in namespace {component.Namespace}: {string.Join(", ", component.Found)}");
            if (component.Missing.Count > 0)
            {
                text.Append($"; not seen: {string.Join(", ", component.Missing.Select(w => $"{w.Kind}/{w.Name}"))}");
            }
            text.Append('\n');
        }

        var absent = catalog.Where(entry => detected.All(d => d.Definition.Name != entry.Name)).Select(entry => entry.Name).ToList();
        text.Append($"\nNot deployed: {(absent.Count == 0 ? "(none)" : string.Join(", ", absent))}\n");

        if (detected.Count > 0)
        {
            // One namespace per component and run: profile names are per component, so a second install is its own run.
            var first = detected.GroupBy(d => d.Definition.Name, StringComparer.Ordinal).Select(group => group.First()).ToList();
            var arguments = first.Select(d => d.Namespace == d.Definition.Namespace ? d.Definition.Name : $"{d.Definition.Name}={d.Namespace}");
            text.Append("\nWrite their PermissionSets and RBACProfiles with:\n");
            text.Append($"  compiler component {string.Join(" ", arguments.Select(a => $"--component {a}"))} " +
                        "--namespace <namespace> --target-clusters <clusters> --rbac-policy-ref <policy> --output <dir>\n");
            foreach (var again in detected.Except(first))
            {
                text.Append($"  {again.Definition.Name} is also deployed in {again.Namespace}: run again with --component {again.Definition.Name}={again.Namespace}\n");
            }
        }
        return text.ToString();
    }
}
