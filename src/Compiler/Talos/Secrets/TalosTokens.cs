using Conductor.Randomness;

namespace Conductor.Compiler.Talos.Secrets;

/// <summary>Random tokens and keys in the formats Talos generates them.</summary>
internal static class TalosTokens
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";

    /// <summary>A kubeadm-style token <c>[a-z0-9]{6}.[a-z0-9]{16}</c>.</summary>
    public static string Token(IRandomSource random) => $"{Characters(random, 6)}.{Characters(random, 16)}";

    /// <summary><paramref name="size"/> random bytes, standard base64.</summary>
    public static string Base64(IRandomSource random, int size = 32)
    {
        var bytes = new byte[size];
        random.Fill(bytes);
        return Convert.ToBase64String(bytes);
    }

    private static string Characters(IRandomSource random, int count)
    {
        var result = new char[count];
        Span<byte> one = stackalloc byte[1];
        for (var i = 0; i < count;)
        {
            random.Fill(one);
            // Rejection sampling keeps every character equally likely (252 = 7 × 36).
            if (one[0] < 252)
            {
                result[i++] = Alphabet[one[0] % Alphabet.Length];
            }
        }
        return new string(result);
    }
}
