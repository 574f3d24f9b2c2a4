namespace Conductor.Grains.Federation;

/// <summary>
/// The key of an audit sink grain: one per WAL, and every tenant replica keeps its own WAL with its own sequence
/// space, so the key is <c>{cluster}/{replica}</c>. A tenant that does not name its replica (a single-replica agent)
/// is keyed by the cluster id alone, which keeps the records such an agent already stored.
/// </summary>
public static class AuditSinkKey
{
    private const char Separator = '/';

    public static string Of(string clusterId, string replica) => replica.Length == 0 ? clusterId : clusterId + Separator + replica;

    public static (string ClusterId, string Replica) Parse(string key) =>
        key.IndexOf(Separator, StringComparison.Ordinal) is var at and >= 0 ? (key[..at], key[(at + 1)..]) : (key, "");
}
