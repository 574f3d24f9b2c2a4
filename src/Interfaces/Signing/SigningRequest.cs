namespace Conductor.Signing;

/// <summary>A signable resource as a watch last saw it, handed to its <see cref="ISigningGrain"/>.</summary>
[GenerateSerializer, Immutable]
public sealed record SigningRequest
{
    [Id(0)] public required SignedKind Kind { get; init; }
    [Id(1)] public required string Namespace { get; init; }
    [Id(2)] public required string Name { get; init; }

    /// <summary>The resourceVersion observed; the annotation patch is guarded by it.</summary>
    [Id(3)] public required string ResourceVersion { get; init; }

    /// <summary>The <c>.spec</c> as the API server returned it (JSON text; <c>null</c> when absent).</summary>
    [Id(4)] public required string SpecJson { get; init; }

    /// <summary>The observed <see cref="SignatureAnnotations.Signature"/> value, if any.</summary>
    [Id(5)] public string? SignatureAnnotation { get; init; }

    /// <summary>The observed <see cref="SignatureAnnotations.SpecHash"/> value, if any.</summary>
    [Id(6)] public string? SpecHashAnnotation { get; init; }

    /// <summary>
    /// PackInstalled only: the artifact Secret as observed (null when absent), so the grain rewrites it only when it
    /// differs and never needs an extra read.
    /// </summary>
    [Id(7)] public ObservedArtifact? Artifact { get; init; }

    /// <summary>The observed <c>status.signed</c> (PackDelivery, PermissionSnapshot), so the grain writes it only on change.</summary>
    [Id(8)] public bool? StatusSigned { get; init; }

    /// <summary>The observed PackDelivery <c>status.packSignature</c> (base64 of the raw signature).</summary>
    [Id(9)] public string? StatusPackSignature { get; init; }
}

/// <summary>The artifact Secret of a PackInstalled as a watch last saw it.</summary>
[GenerateSerializer, Immutable]
public sealed record ObservedArtifact
{
    [Id(0)] public required string ResourceVersion { get; init; }

    /// <summary>The Secret's signature in annotation form (<c>{keyId}:{base64}</c>), or null when incomplete.</summary>
    [Id(1)] public string? Signature { get; init; }

    /// <summary>The Secret's spec hash.</summary>
    [Id(2)] public string? SpecHash { get; init; }
}
