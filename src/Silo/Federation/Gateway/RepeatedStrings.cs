namespace Conductor.Silo.Federation.Gateway;

/// <summary>
/// One instance per distinct short value that repeats across audit events (actor, verb, resource, namespace,
/// outcome, policy, detail keys), looked up by the value's UTF-8 bytes as the parser reads them: a value seen before
/// costs no string at all, and events queued until their chunk is stored share it instead of each holding a copy the
/// GC has to move. A 4-way set-associative cache of <see cref="MaxEntries"/> strings, so it is bounded and a value
/// that stops repeating is evicted by newer ones. Safe to share between threads without locks: each slot is one
/// reference written whole, and a hit is always checked against the decoded text, so a race can only lose a reuse,
/// never return a wrong value.
/// </summary>
internal sealed class RepeatedStrings
{
    internal const int MaxEntries = Sets * Ways;
    internal const int MaxLength = 256;

    private const int Sets = 1024;
    private const int Ways = 4;

    private readonly string?[] _entries = new string?[MaxEntries];
    private uint _victim;

    /// <summary>The string of <paramref name="utf8"/>; refuses invalid UTF-8 with <see cref="EnvelopeRefusedException"/>.</summary>
    public string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty)
        {
            return "";
        }

        if (utf8.Length > MaxLength)
        {
            return WireReader.Decode(utf8);
        }

        Span<char> buffer = stackalloc char[MaxLength];
        var text = buffer[..WireReader.Decode(utf8, buffer)];
        var set = (int)((uint)string.GetHashCode(text) % Sets) * Ways;
        for (var way = set; way < set + Ways; way++)
        {
            if (_entries[way] is { } known && text.SequenceEqual(known))
            {
                return known;
            }
        }

        var value = new string(text);
        var free = Array.IndexOf(_entries, null, set, Ways);
        _entries[free >= 0 ? free : set + (int)(_victim++ % Ways)] = value;
        return value;
    }
}
