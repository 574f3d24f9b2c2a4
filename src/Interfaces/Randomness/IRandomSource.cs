namespace Conductor.Randomness;

/// <summary>
/// Where cryptographic code draws its random bytes (keys, nonces, file keys, IVs). Production uses
/// <see cref="SystemRandomSource"/>; tests inject a seeded source so that output is reproducible byte for byte.
/// </summary>
public interface IRandomSource
{
    /// <summary>Fills <paramref name="destination"/> with random bytes.</summary>
    void Fill(Span<byte> destination);
}
