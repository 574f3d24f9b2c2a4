using System.Diagnostics.CodeAnalysis;

namespace Conductor.Signing;

/// <summary>
/// The public keys a verifier accepts, by key id. Holding more than one lets the signing key rotate: publish the new
/// key, start signing with it, and drop the old one once nothing signed by it remains.
/// </summary>
public sealed class TrustedKeySet
{
    private readonly Dictionary<string, Ed25519PublicKey> _keys = new(StringComparer.Ordinal);

    public TrustedKeySet(IEnumerable<Ed25519PublicKey> keys)
    {
        foreach (var key in keys)
        {
            _keys.TryAdd(key.KeyId, key);
        }
    }

    /// <summary>Reads each PKIX PEM text; <c>Source</c> names where it came from for error messages.</summary>
    public static TrustedKeySet FromPems(IEnumerable<(string Source, string Pem)> pems) =>
        new(pems.Select(p => Ed25519PublicKey.FromPem(p.Pem, p.Source)));

    /// <summary>
    /// Reads every <c>*.pem</c> file of a mounted directory, one PKIX PEM key per file (hidden entries such as a mounted
    /// volume's <c>..data</c> are skipped). A missing or empty directory is a <see cref="SigningKeyException"/> saying what to mount.
    /// </summary>
    public static TrustedKeySet FromDirectory(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new SigningKeyException($"the trusted key directory {directory} does not exist; mount the management public keys there");
        }
        var files = Directory.EnumerateFiles(directory, "*.pem")
            .Where(f => !Path.GetFileName(f).StartsWith('.'))
            .Order(StringComparer.Ordinal)
            .ToList();
        if (files.Count == 0)
        {
            throw new SigningKeyException($"the trusted key directory {directory} holds no *.pem file; add the management public key (PKIX PEM)");
        }
        return FromPems(files.Select(f => (f, File.ReadAllText(f))));
    }

    /// <summary>The ids of the trusted keys, sorted.</summary>
    public IReadOnlyList<string> KeyIds => _keys.Keys.Order(StringComparer.Ordinal).ToList();

    public int Count => _keys.Count;

    public bool TryGet(string keyId, [NotNullWhen(true)] out Ed25519PublicKey? key) => _keys.TryGetValue(keyId, out key);
}
