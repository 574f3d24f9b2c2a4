namespace Conductor.Compiler.OperatorBundle.Upstream;

/// <summary>
/// The upstream releases the enable bundle depends on, pinned by version and URL. Their SHA-256 sums were not
/// recorded here because this build was made without network access to fetch and hash the files; until a maintainer
/// fills them in (<c>curl -fsSL URL | sha256sum</c>), <c>--upstream-checksums</c> supplies them, and enable refuses
/// to write a bundle that references a manifest without one.
/// </summary>
public static class UpstreamPins
{
    public static readonly UpstreamRelease CertManager = new("cert-manager", "v1.16.2",
        "https://github.com/cert-manager/cert-manager/releases/download/v1.16.2/cert-manager.yaml");

    public static readonly UpstreamRelease Cnpg = new("cnpg-operator", "1.25.1",
        "https://github.com/cloudnative-pg/cloudnative-pg/releases/download/v1.25.1/cnpg-1.25.1.yaml");

    public static readonly UpstreamRelease Kueue = new("kueue", "v0.16.2",
        "https://github.com/kubernetes-sigs/kueue/releases/download/v0.16.2/manifests.yaml");

    public static readonly UpstreamRelease CapiCore = new("capi-core", "v1.9.4",
        "https://github.com/kubernetes-sigs/cluster-api/releases/download/v1.9.4/core-components.yaml");

    public static readonly UpstreamRelease CapiTalosBootstrap = new("capi-talos-bootstrap", "v0.6.8",
        "https://github.com/siderolabs/cluster-api-bootstrap-provider-talos/releases/download/v0.6.8/bootstrap-components.yaml");

    public static readonly UpstreamRelease CapiTalosControlPlane = new("capi-talos-controlplane", "v0.5.8",
        "https://github.com/siderolabs/cluster-api-control-plane-provider-talos/releases/download/v0.5.8/control-plane-components.yaml");

    /// <summary>What every management bundle needs in phase 00, in apply order.</summary>
    public static readonly IReadOnlyList<UpstreamRelease> InfrastructureDependencies = [CertManager, Cnpg, Kueue];

    /// <summary>What <c>--capi</c> adds in phase 00b, in apply order.</summary>
    public static readonly IReadOnlyList<UpstreamRelease> Capi = [CapiCore, CapiTalosBootstrap, CapiTalosControlPlane];
}
