namespace Conductor.Silo.Sweep;

/// <summary>
/// A third-party component the sweep recognises by its install namespace, and the service account it runs as.
/// Defined here until the compiler's component catalog (branch <c>component</c>) lands in src/Interfaces; then this
/// list should be read from that catalog.
/// </summary>
public sealed record ThirdPartyComponent(string Name, string Namespace, string ServiceAccount)
{
    /// <summary>The principal Guardian grants to: <c>system:serviceaccount:{namespace}:{serviceAccount}</c>.</summary>
    public string Principal => $"system:serviceaccount:{Namespace}:{ServiceAccount}";

    public static IReadOnlyList<ThirdPartyComponent> Known { get; } =
    [
        new("cert-manager", "cert-manager", "cert-manager"),
        new("kueue", "kueue-system", "kueue-controller-manager"),
        new("cnpg", "cnpg-system", "cnpg-manager"),
        new("metallb", "metallb-system", "metallb-controller"),
        new("local-path-provisioner", "local-path-storage", "local-path-provisioner-service-account"),
    ];
}
