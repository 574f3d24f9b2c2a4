using Conductor.Signing;

namespace Conductor.Silo.Custody;

/// <summary>
/// The trusted management public keys, one PKIX PEM file per key in a directory. <see cref="Reload"/> re-reads it;
/// when the set of key ids changes, <see cref="Changed"/> fires so every receipt is verified again under the new set.
/// A directory that stops loading keeps the last good set.
/// </summary>
public sealed class TrustedKeysDirectory(string path)
{
    private TrustedKeySet _current = Read(path);

    public TrustedKeySet Current => Volatile.Read(ref _current);

    public string Path => path;

    public event Action<TrustedKeySet>? Changed;

    /// <summary>Reads every <c>*.pem</c> file of the directory (see <see cref="TrustedKeySet.FromDirectory"/>).</summary>
    public static TrustedKeySet Read(string directory) => TrustedKeySet.FromDirectory(directory);

    /// <summary>Re-reads the directory; returns whether the trusted set changed. Throws when it cannot be read.</summary>
    public bool Reload()
    {
        var fresh = Read(path);
        var previous = Current;
        if (fresh.KeyIds.SequenceEqual(previous.KeyIds, StringComparer.Ordinal))
        {
            return false;
        }
        Volatile.Write(ref _current, fresh);
        Changed?.Invoke(fresh);
        return true;
    }
}
