using System.Collections.Concurrent;
using Conductor.Custody;

namespace Conductor.Silo.Custody;

/// <summary>
/// The revocations this tenant has applied (see <see cref="IRevocationSink"/>). A revocation covers the artifact as it
/// was signed when it was revoked: the signature seen then is recorded, and a later re-signing of a changed spec is a
/// new artifact, trusted again once it verifies. If nothing had been seen yet, every signature of that name is refused.
/// </summary>
public sealed class RevocationRegistry : IRevocationSink
{
    private readonly ConcurrentDictionary<(RevokedArtifactKind Kind, string Name), Entry> _revoked = new();
    private readonly ConcurrentDictionary<string, byte> _applied = new(StringComparer.Ordinal);

    /// <summary>Asked for the signature currently seen on a resource when a revocation arrives.</summary>
    public Func<RevokedArtifactKind, string, string?> CurrentSignature { get; set; } = (_, _) => null;

    /// <summary>Raised after a new revocation was recorded, so the receipt is re-evaluated at once.</summary>
    public event Action<ArtifactRevocation>? Revoked;

    public Task RevokeAsync(ArtifactRevocation revocation, CancellationToken cancellationToken)
    {
        if (!_applied.TryAdd(revocation.RevocationId, 0))
        {
            return Task.CompletedTask;
        }
        _revoked[(revocation.Kind, revocation.Name)] = new Entry(revocation, CurrentSignature(revocation.Kind, revocation.Name));
        Revoked?.Invoke(revocation);
        return Task.CompletedTask;
    }

    /// <summary>The revocation that covers this artifact with this signature, if any.</summary>
    public ArtifactRevocation? Find(RevokedArtifactKind kind, string name, string? signature) =>
        _revoked.TryGetValue((kind, name), out var entry) && (entry.Signature is null || entry.Signature == signature) ? entry.Revocation : null;

    private sealed record Entry(ArtifactRevocation Revocation, string? Signature);
}
