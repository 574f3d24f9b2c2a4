using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Conductor.Signing;

/// <summary>
/// RFC 8785 JSON Canonicalization Scheme (JCS): the one canonical form of a JSON value that Conductor signs.
/// No whitespace; object members sorted by the UTF-16 code units of their names; numbers as ECMAScript writes them;
/// strings with only the escapes JSON requires (RFC 8785 §3.2.2.2). Input that is not I-JSON (RFC 7493) is refused
/// with a <see cref="JsonCanonicalizationException"/> naming the offending value.
/// </summary>
public static class JsonCanonicalizer
{
    /// <summary>Nesting deeper than this is refused rather than risking the stack on hostile input.</summary>
    public const int MaxDepth = 256;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The canonical UTF-8 bytes of <paramref name="element"/>.</summary>
    public static byte[] Canonicalize(JsonElement element)
    {
        var text = new StringBuilder();
        WriteElement(text, element, "$", 0);
        return StrictUtf8.GetBytes(text.ToString());
    }

    /// <summary>The canonical UTF-8 bytes of <paramref name="node"/>; a null node is the JSON literal <c>null</c>.</summary>
    public static byte[] Canonicalize(JsonNode? node)
    {
        var text = new StringBuilder();
        WriteNode(text, node, "$", 0);
        return StrictUtf8.GetBytes(text.ToString());
    }

    /// <summary>Parses UTF-8 JSON text and returns its canonical UTF-8 bytes.</summary>
    public static byte[] Canonicalize(ReadOnlySpan<byte> utf8Json)
    {
        var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = MaxDepth });
        using var document = JsonDocument.ParseValue(ref reader);
        return Canonicalize(document.RootElement);
    }

    private static void WriteElement(StringBuilder text, JsonElement element, string path, int depth)
    {
        CheckDepth(path, depth);
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var members = new List<KeyValuePair<string, JsonElement>>();
                foreach (var property in element.EnumerateObject())
                {
                    members.Add(new(property.Name, property.Value));
                }
                SortMembers(members, path);
                text.Append('{');
                for (var i = 0; i < members.Count; i++)
                {
                    if (i > 0)
                    {
                        text.Append(',');
                    }
                    var memberPath = MemberPath(path, members[i].Key);
                    WriteString(text, members[i].Key, memberPath);
                    text.Append(':');
                    WriteElement(text, members[i].Value, memberPath, depth + 1);
                }
                text.Append('}');
                break;
            case JsonValueKind.Array:
                text.Append('[');
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (index > 0)
                    {
                        text.Append(',');
                    }
                    WriteElement(text, item, $"{path}[{index}]", depth + 1);
                    index++;
                }
                text.Append(']');
                break;
            case JsonValueKind.String:
                WriteString(text, ReadString(element, path), path);
                break;
            case JsonValueKind.Number:
                WriteNumber(text, element.GetRawText(), path);
                break;
            case JsonValueKind.True:
                text.Append("true");
                break;
            case JsonValueKind.False:
                text.Append("false");
                break;
            case JsonValueKind.Null:
                text.Append("null");
                break;
            default:
                throw new JsonCanonicalizationException(path, $"a JSON value is required, found {element.ValueKind}");
        }
    }

    private static void WriteNode(StringBuilder text, JsonNode? node, string path, int depth)
    {
        CheckDepth(path, depth);
        switch (node)
        {
            case null:
                text.Append("null");
                break;
            case JsonObject obj:
                // JsonObject already refuses duplicate names, so only the order needs fixing.
                var members = obj.ToList();
                members.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
                text.Append('{');
                for (var i = 0; i < members.Count; i++)
                {
                    if (i > 0)
                    {
                        text.Append(',');
                    }
                    var memberPath = MemberPath(path, members[i].Key);
                    WriteString(text, members[i].Key, memberPath);
                    text.Append(':');
                    WriteNode(text, members[i].Value, memberPath, depth + 1);
                }
                text.Append('}');
                break;
            case JsonArray array:
                text.Append('[');
                for (var i = 0; i < array.Count; i++)
                {
                    if (i > 0)
                    {
                        text.Append(',');
                    }
                    WriteNode(text, array[i], $"{path}[{i}]", depth + 1);
                }
                text.Append(']');
                break;
            case JsonValue value when value.TryGetValue<JsonElement>(out var element):
                WriteElement(text, element, path, depth);
                break;
            case JsonValue value when value.TryGetValue<string>(out var s):
                // Written directly: a round trip through JSON text would replace a lone surrogate with U+FFFD.
                WriteString(text, s, path);
                break;
            case JsonValue value:
                // A value built from a CLR primitive (int, decimal, string, char, …): its JSON text is its meaning.
                string json;
                try
                {
                    json = value.ToJsonString();
                }
                catch (ArgumentException e)
                {
                    throw new JsonCanonicalizationException(path, $"the value has no JSON form: {e.Message}");
                }
                using (var document = JsonDocument.Parse(json))
                {
                    WriteElement(text, document.RootElement, path, depth);
                }
                break;
            default:
                throw new JsonCanonicalizationException(path, $"unsupported JSON node type {node.GetType().Name}");
        }
    }

    private static void CheckDepth(string path, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new JsonCanonicalizationException(path, $"nesting deeper than {MaxDepth} levels is refused");
        }
    }

    private static void SortMembers(List<KeyValuePair<string, JsonElement>> members, string path)
    {
        // RFC 8785 §3.2.3: compare names as arrays of UTF-16 code units, which is exactly ordinal comparison.
        members.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        for (var i = 1; i < members.Count; i++)
        {
            if (string.Equals(members[i - 1].Key, members[i].Key, StringComparison.Ordinal))
            {
                throw new JsonCanonicalizationException(
                    MemberPath(path, members[i].Key), "duplicate property name; I-JSON (RFC 7493 §2.3) requires unique names");
            }
        }
    }

    private static string ReadString(JsonElement element, string path)
    {
        try
        {
            return element.GetString()!;
        }
        catch (InvalidOperationException e)
        {
            throw new JsonCanonicalizationException(path, $"the string is not valid Unicode: {e.Message}");
        }
    }

    private static void WriteNumber(StringBuilder text, string rawNumber, string path)
    {
        var value = double.Parse(rawNumber, NumberStyles.Float, CultureInfo.InvariantCulture);
        if (!double.IsFinite(value))
        {
            throw new JsonCanonicalizationException(
                path, $"the number {rawNumber} is outside the IEEE 754 double range that I-JSON (RFC 7493 §2.2) allows");
        }
        text.Append(EcmaScriptNumber.Format(value));
    }

    private static void WriteString(StringBuilder text, string value, string path)
    {
        text.Append('"');
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            switch (c)
            {
                case '"':
                    text.Append("\\\"");
                    break;
                case '\\':
                    text.Append("\\\\");
                    break;
                case '\b':
                    text.Append("\\b");
                    break;
                case '\f':
                    text.Append("\\f");
                    break;
                case '\n':
                    text.Append("\\n");
                    break;
                case '\r':
                    text.Append("\\r");
                    break;
                case '\t':
                    text.Append("\\t");
                    break;
                case < ' ':
                    text.Append("\\u00").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
                    break;
                default:
                    if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                    {
                        text.Append(c).Append(value[i + 1]);
                        i++;
                    }
                    else if (char.IsSurrogate(c))
                    {
                        throw new JsonCanonicalizationException(
                            path, $"lone surrogate U+{(int)c:X4} at index {i}; I-JSON (RFC 7493 §2.1) requires valid Unicode");
                    }
                    else
                    {
                        text.Append(c);
                    }
                    break;
            }
        }
        text.Append('"');
    }

    private static string MemberPath(string parent, string name) =>
        IsPlainName(name) ? $"{parent}.{name}" : $"{parent}[{JsonSerializer.Serialize(name)}]";

    private static bool IsPlainName(string name)
    {
        if (name.Length == 0)
        {
            return false;
        }
        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_' && c != '-')
            {
                return false;
            }
        }
        return true;
    }
}
