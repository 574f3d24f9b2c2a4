using Conductor.Compiler.OperatorBundle.Upstream;

namespace Conductor.Compiler.OperatorBundle.Phases;

/// <summary>Phase 00b (<c>--capi</c>): Cluster API core and the Talos bootstrap and control-plane providers, pinned upstream.</summary>
public static class CapiPrerequisites
{
    public const string Directory = "00b-capi-prerequisites";

    public static Phase Build(EnableSettings settings) => new(Directory, "capi-prerequisites", "0b",
        "Every Deployment in capi-system, cabpt-system and cacppt-system is Available and the CRDs clusters.cluster.x-k8s.io, " +
        "talosconfigs.bootstrap.cluster.x-k8s.io and taloscontrolplanes.controlplane.cluster.x-k8s.io are Established. " +
        "The provider manifests carry clusterctl variables: substitute them (clusterctl generate yaml, or envsubst) when applying.",
        [UpstreamManifests.File(Directory, "capi-prerequisites",
            [.. settings.UpstreamManifests.Where(m => UpstreamPins.Capi.Any(p => p.Url == m.Url))])]);
}
