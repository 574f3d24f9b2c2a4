using System.Security.Cryptography;

namespace Conductor.Randomness;

/// <summary>The operating system's CSPRNG (<see cref="RandomNumberGenerator"/>).</summary>
public sealed class SystemRandomSource : IRandomSource
{
    /// <summary>The shared instance; it holds no state.</summary>
    public static readonly SystemRandomSource Instance = new();

    private SystemRandomSource()
    {
    }

    public void Fill(Span<byte> destination) => RandomNumberGenerator.Fill(destination);
}
