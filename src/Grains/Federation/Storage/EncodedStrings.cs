using System.Runtime.CompilerServices;
using Google.Protobuf;

namespace Conductor.Grains.Federation.Storage;

/// <summary>
/// The UTF-8 bytes of the strings one chunk repeats from event to event (actor, verb, resource, namespace, outcome,
/// policy, detail keys), so each is encoded once per chunk rather than once per event. Keyed by reference: the
/// gateway hands every event of a stream the same instance of a repeated value (<c>RepeatedStrings</c>), so a
/// reference check is all a hit costs; an equal string that is another instance only misses and is encoded again.
/// Direct-mapped and small: one per <see cref="AuditChunkWriter.Write"/>, garbage with the chunk.
/// </summary>
internal sealed class EncodedStrings
{
    private const int Slots = 64;

    private readonly string?[] _strings = new string?[Slots];
    private readonly ByteString?[] _bytes = new ByteString?[Slots];

    public ByteString Get(string value)
    {
        var slot = RuntimeHelpers.GetHashCode(value) & (Slots - 1);
        if (ReferenceEquals(_strings[slot], value))
        {
            return _bytes[slot]!;
        }

        var bytes = ByteString.CopyFromUtf8(value);
        (_strings[slot], _bytes[slot]) = (value, bytes);
        return bytes;
    }
}
