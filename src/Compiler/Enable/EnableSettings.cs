using Conductor.Signing;

namespace Conductor.Compiler.OperatorBundle;

/// <summary>The role the stamped Conductor agent runs in (DESIGN §1); never inferred, always validated.</summary>
public enum AgentRole
{
    Management,
    Tenant,
}

/// <summary>Everything <c>compiler enable</c> compiles from, validated; the bundle is a pure function of it.</summary>
public sealed record EnableSettings
{
    public required AgentRole Role { get; init; }

    public required string ClusterName { get; init; }

    public required string Registry { get; init; }

    public required string Version { get; init; }

    public bool Capi { get; init; }

    /// <summary>Tenant only: where the tenant agent dials the management federation gateway (host:port).</summary>
    public string? ManagementEndpoint { get; init; }

    /// <summary>Management: the key pair whose private half goes into the signing Secret.</summary>
    public Ed25519PrivateKey? SigningKey { get; init; }

    /// <summary>Tenant: the management public key, verbatim as given, to verify management signatures.</summary>
    public string? ManagementPublicKeyPem { get; init; }

    /// <summary>Pinned upstream manifests with the checksum each must have.</summary>
    public required IReadOnlyList<Upstream.PinnedManifest> UpstreamManifests { get; init; }

    public string RoleName => Role == AgentRole.Management ? "management" : "tenant";

    public string Image(string program) => $"{Registry}/{program}:{Version}";
}
