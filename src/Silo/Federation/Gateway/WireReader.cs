using System.Buffers;
using System.Text.Unicode;

namespace Conductor.Silo.Federation.Gateway;

/// <summary>
/// Reads protobuf wire format from one contiguous span, accepting and refusing exactly what Google.Protobuf's
/// generated parsers do (<see cref="InboundEnvelopeParser"/> proves it against them): varints of up to ten bytes, a
/// 32-bit value taking the low bits of a longer one, field number 0 refused, strings valid UTF-8, end-group tags
/// only closing the group they started, and the same nesting limit. Every refusal is an
/// <see cref="EnvelopeRefusedException"/> naming the rule.
/// </summary>
internal ref struct WireReader(ReadOnlySpan<byte> buffer)
{
    /// <summary>Google.Protobuf's default recursion limit: nested messages plus nested groups.</summary>
    public const int RecursionLimit = 100;

    private const int MaxVarintBytes = 10;

    private readonly ReadOnlySpan<byte> _buffer = buffer;
    private int _position;

    public readonly bool AtEnd => _position >= _buffer.Length;

    /// <summary>The next tag, or 0 at the end of the buffer.</summary>
    public uint ReadTag()
    {
        if (AtEnd)
        {
            return 0;
        }

        var tag = (uint)ReadVarint64();
        if (tag >> 3 == 0)
        {
            throw new EnvelopeRefusedException("a field number is 0");
        }

        return tag;
    }

    public ulong ReadVarint64()
    {
        ulong result = 0;
        for (var i = 0; i < MaxVarintBytes; i++)
        {
            if (_position >= _buffer.Length)
            {
                throw Truncated();
            }

            var b = _buffer[_position++];
            result |= (ulong)(b & 0x7F) << (7 * i);
            if (b < 0x80)
            {
                return result;
            }
        }

        throw new EnvelopeRefusedException("a varint is longer than 10 bytes");
    }

    /// <summary>A length prefix and the bytes it covers.</summary>
    public ReadOnlySpan<byte> ReadLengthDelimited()
    {
        var length = (int)ReadVarint64();
        if (length < 0)
        {
            throw new EnvelopeRefusedException("a length is negative");
        }

        if (length > _buffer.Length - _position)
        {
            throw Truncated();
        }

        var bytes = _buffer.Slice(_position, length);
        _position += length;
        return bytes;
    }

    /// <summary>A string field; values short enough to repeat come from <paramref name="shared"/> when it is given.</summary>
    public string ReadString(RepeatedStrings? shared = null)
    {
        var utf8 = ReadLengthDelimited();
        return shared is not null ? shared.Get(utf8) : Decode(utf8);
    }

    public static string Decode(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty)
        {
            return "";
        }

        if (Utf8.IsValid(utf8))
        {
            return System.Text.Encoding.UTF8.GetString(utf8);
        }

        throw InvalidUtf8();
    }

    /// <summary>Decodes into <paramref name="chars"/>, which holds at least as many chars as there are bytes.</summary>
    public static int Decode(ReadOnlySpan<byte> utf8, Span<char> chars) =>
        Utf8.ToUtf16(utf8, chars, out _, out var written, replaceInvalidSequences: false) == OperationStatus.Done ? written : throw InvalidUtf8();

    /// <summary>
    /// Skips the field whose tag was just read, as the generated code skips an unknown field. A group is skipped to
    /// its matching end-group tag, <paramref name="depth"/> (of the message it is in) counting towards the limit.
    /// </summary>
    public void SkipField(uint tag, int depth)
    {
        switch (tag & 7)
        {
            case 0:
                ReadVarint64();
                break;
            case 1:
                Skip(8);
                break;
            case 2:
                ReadLengthDelimited();
                break;
            case 3:
                SkipGroup(tag >> 3, depth);
                break;
            case 4:
                throw new EnvelopeRefusedException("an end-group tag has no matching start-group tag");
            case 5:
                Skip(4);
                break;
            default:
                throw new EnvelopeRefusedException($"a tag has invalid wire type {tag & 7}");
        }
    }

    private void SkipGroup(uint field, int depth)
    {
        if (depth >= RecursionLimit)
        {
            throw new EnvelopeRefusedException($"groups are nested deeper than {RecursionLimit}");
        }

        while (true)
        {
            var tag = ReadTag();
            if (tag == 0)
            {
                throw Truncated();
            }

            if ((tag & 7) == 4)
            {
                if (tag >> 3 != field)
                {
                    throw new EnvelopeRefusedException($"group {field} ends with the end-group tag of field {tag >> 3}");
                }

                return;
            }

            SkipField(tag, depth + 1);
        }
    }

    private void Skip(int count)
    {
        if (count > _buffer.Length - _position)
        {
            throw Truncated();
        }

        _position += count;
    }

    private static EnvelopeRefusedException Truncated() => new("a field runs past the end of its message (truncated)");

    private static EnvelopeRefusedException InvalidUtf8() => new("a string is not valid UTF-8");
}
