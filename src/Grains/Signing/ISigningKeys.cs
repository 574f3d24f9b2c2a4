using Conductor.Signing;

namespace Conductor.Grains.Signing;

/// <summary>The active management signing key; the host reloads it when the mounted Secret changes (key rotation).</summary>
public interface ISigningKeys
{
    /// <summary>The key new signatures are made with.</summary>
    Ed25519PrivateKey Current { get; }
}
