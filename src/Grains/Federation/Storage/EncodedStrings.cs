using Google.Protobuf;

namespace Conductor.Grains.Federation.Storage;

/// <summary>
/// The UTF-8 bytes of the strings one chunk repeats from event to event (actor, verb, resource, namespace, outcome,
/// policy, detail keys), so each is encoded once per chunk rather than once per event. The gateway hands every
/// event of a stream the same instance of a repeated value (<c>RepeatedStrings</c>), so a hit is usually a reference
/// check; an equal value in another instance hits too, after a compare. Direct-mapped and small, with a slot picked
/// from a few characters (hashing the whole string would cost what encoding it does): one per
/// <see cref="AuditChunkWriter.Write"/>, garbage with the chunk.
/// </summary>
internal sealed class EncodedStrings
{
    private const int Slots = 64;

    private readonly string?[] _strings = new string?[Slots];
    private readonly ByteString?[] _bytes = new ByteString?[Slots];

    public ByteString Get(string value)
    {
        var slot = (int)((uint)((value.Length * 31) + (value[0] * 7) + (value[value.Length / 2] * 3) + value[^1]) % Slots);
        if (_strings[slot] is { } known && (ReferenceEquals(known, value) || string.Equals(known, value, StringComparison.Ordinal)))
        {
            return _bytes[slot]!;
        }

        var bytes = ByteString.CopyFromUtf8(value);
        (_strings[slot], _bytes[slot]) = (value, bytes);
        return bytes;
    }
}
