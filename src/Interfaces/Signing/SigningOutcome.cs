namespace Conductor.Signing;

/// <summary>What a <see cref="ISigningGrain"/> did with one <see cref="SigningRequest"/>.</summary>
[GenerateSerializer, Immutable]
public sealed record SigningOutcome
{
    [Id(0)] public required SigningAction Action { get; init; }

    /// <summary>The annotation value now in place (<c>{keyId}:{base64}</c>), when there is one.</summary>
    [Id(1)] public string? Signature { get; init; }

    /// <summary>Whether the artifact Secret was created or replaced (PackInstalled only).</summary>
    [Id(2)] public bool ArtifactWritten { get; init; }

    /// <summary>Why the resource could not be signed, when <see cref="Action"/> is <see cref="SigningAction.Refused"/>.</summary>
    [Id(3)] public string? Reason { get; init; }
}

public enum SigningAction
{
    /// <summary>The annotations were written (first signature, changed spec, new key, or a damaged signature).</summary>
    Signed,

    /// <summary>The annotations already matched the spec and the active key; nothing was written to the resource.</summary>
    Unchanged,

    /// <summary>The observation was older than one this grain already acted on; nothing was read or written.</summary>
    Superseded,

    /// <summary>The resource no longer exists.</summary>
    Gone,

    /// <summary>The spec cannot be signed (it has no RFC 8785 canonical form); <see cref="SigningOutcome.Reason"/> says why.</summary>
    Refused,
}
