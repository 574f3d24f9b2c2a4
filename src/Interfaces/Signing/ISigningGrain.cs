namespace Conductor.Signing;

/// <summary>
/// The one signer of one resource, keyed <c>{kind}/{namespace}/{name}</c> (see <see cref="Key"/>). Orleans keeps one
/// activation of a key cluster-wide and runs its calls one at a time, so however many silos watch the resource, only
/// this activation writes its signature: no leader election, and no two writers racing on the same object. Keying per
/// resource rather than per kind lets different resources be signed in parallel.
/// </summary>
public interface ISigningGrain : IGrainWithStringKey
{
    /// <summary>
    /// Makes the resource's signature annotations match its current spec and the active signing key, writing only when
    /// they differ; for a PackInstalled, also makes its artifact Secret match.
    /// </summary>
    Task<SigningOutcome> SignAsync(SigningRequest request);

    /// <summary>The grain key of a resource.</summary>
    public static string Key(SignedKind kind, string @namespace, string name) => $"{kind}/{@namespace}/{name}";
}
