namespace Conductor.Silo.Federation.Gateway;

/// <summary>
/// One instance per distinct short value that repeats across audit events (actor, verb, resource, namespace,
/// outcome, policy). The parser makes a new string for every field of every event; the forwarder holds events until
/// a whole chunk is stored, so without this every copy survives the young generation and the GC moves it. With it,
/// the parsed copy dies young and the events share one string. Not thread-safe: one per stream reader. Bounded:
/// once full it hands values back unchanged.
/// </summary>
internal sealed class RepeatedStrings
{
    internal const int MaxEntries = 4096;
    internal const int MaxLength = 256;

    private readonly Dictionary<string, string> _known = new(StringComparer.Ordinal);

    public string Get(string value)
    {
        if (value.Length == 0 || value.Length > MaxLength)
        {
            return value;
        }

        if (_known.TryGetValue(value, out var known))
        {
            return known;
        }

        if (_known.Count < MaxEntries)
        {
            _known.Add(value, value);
        }

        return value;
    }
}
