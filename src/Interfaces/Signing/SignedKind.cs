namespace Conductor.Signing;

/// <summary>The kinds management signs and tenants verify (DESIGN §2).</summary>
public enum SignedKind
{
    /// <summary><c>seam.ontai.dev</c> PackInstalled; its signed spec is also stored as an artifact Secret.</summary>
    PackInstalled,

    /// <summary><c>seam.ontai.dev</c> PackDelivery.</summary>
    PackDelivery,

    /// <summary><c>guardian.ontai.dev</c> PermissionSnapshot.</summary>
    PermissionSnapshot,
}
