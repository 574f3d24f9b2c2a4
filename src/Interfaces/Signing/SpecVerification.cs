namespace Conductor.Signing;

/// <summary>Why a spec signature was accepted or refused.</summary>
public enum SpecVerificationStatus
{
    /// <summary>A trusted key signed exactly this spec.</summary>
    Valid,

    /// <summary>No signature or no key id was presented.</summary>
    Missing,

    /// <summary>The signature is not base64 of 64 bytes.</summary>
    MalformedSignature,

    /// <summary>The key id is not in the trusted key set (an untrusted signer, or a key rotated out).</summary>
    UnknownKeyId,

    /// <summary>The key is trusted but the signature does not match this spec (tampered spec or forged signature).</summary>
    BadSignature,

    /// <summary>The spec has no canonical form (it is not I-JSON), so nothing can have signed it.</summary>
    MalformedSpec,
}

/// <summary>The outcome of verifying a spec signature, with a reason fit for a condition message or log line.</summary>
public sealed record SpecVerification(SpecVerificationStatus Status, string Reason, string? KeyId)
{
    public bool IsValid => Status == SpecVerificationStatus.Valid;
}
