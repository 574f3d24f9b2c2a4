using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Conductor.Registry.Distribution;

/// <summary>A content digest in the OCI form <c>sha256:&lt;64 lowercase hex&gt;</c>.</summary>
public static partial class OciDigest
{
    /// <summary>The only algorithm we produce and accept.</summary>
    public const string Sha256Prefix = "sha256:";

    /// <summary>The sha256 digest of <paramref name="content"/>.</summary>
    public static string Compute(ReadOnlySpan<byte> content) =>
        Sha256Prefix + Convert.ToHexStringLower(SHA256.HashData(content));

    /// <summary>True when <paramref name="digest"/> is <c>sha256:</c> followed by 64 lowercase hex digits.</summary>
    public static bool IsValid(string? digest) => digest is not null && Sha256Pattern().IsMatch(digest);

    /// <summary>Throws a <see cref="FormatException"/> naming <paramref name="what"/> and the rule when invalid.</summary>
    public static string Validate(string? digest, string what)
    {
        if (!IsValid(digest))
        {
            throw new FormatException(
                $"{what} '{digest}' is not a valid digest: expected 'sha256:' followed by 64 lowercase hex digits");
        }

        return digest!;
    }

    [GeneratedRegex("^sha256:[a-f0-9]{64}$", RegexOptions.CultureInvariant)]
    private static partial Regex Sha256Pattern();
}
