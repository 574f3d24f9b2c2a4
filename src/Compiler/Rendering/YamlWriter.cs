using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Conductor.Compiler.Rendering;

/// <summary>
/// Writes a JSON tree as block-style YAML: 2-space indent, sequences level with their key, keys in the order given.
/// Strings a YAML reader could take for anything but a string (<c>"true"</c>, <c>"3600"</c>, <c>"*"</c>) are
/// double-quoted; multi-line strings become literal blocks; nothing is folded, so long phrases stay greppable.
/// </summary>
public static partial class YamlWriter
{
    public static string Write(JsonNode node)
    {
        var text = new StringBuilder();
        WriteValue(text, node, indent: 0, inline: false);
        return text.ToString();
    }

    private static void WriteValue(StringBuilder text, JsonNode? node, int indent, bool inline)
    {
        switch (node)
        {
            case JsonObject map when map.Count > 0:
                WriteMap(text, map, indent, inline);
                break;
            case JsonArray list when list.Count > 0:
                WriteList(text, list, indent, inline);
                break;
            case JsonObject:
                text.Append(inline ? " {}\n" : "{}\n");
                break;
            case JsonArray:
                text.Append(inline ? " []\n" : "[]\n");
                break;
            default:
                text.Append(inline ? " " : "").Append(Scalar(node, indent)).Append('\n');
                break;
        }
    }

    // `inline` means the cursor sits after "key:" or "- ": a map continues on the next line, except that
    // the first entry of a map inside a sequence item shares the "- " line.
    private static void WriteMap(StringBuilder text, JsonObject map, int indent, bool inline, bool firstOnCurrentLine = false)
    {
        if (inline)
        {
            text.Append('\n');
        }
        var first = true;
        foreach (var (key, value) in map)
        {
            if (!(first && firstOnCurrentLine))
            {
                text.Append(' ', indent);
            }
            first = false;
            text.Append(Key(key)).Append(':');
            switch (value)
            {
                case JsonObject child when child.Count > 0:
                    WriteMap(text, child, indent + 2, inline: true);
                    break;
                case JsonArray child when child.Count > 0:
                    WriteList(text, child, indent, inline: true);
                    break;
                default:
                    WriteValue(text, value, indent + 2, inline: true);
                    break;
            }
        }
    }

    private static void WriteList(StringBuilder text, JsonArray list, int indent, bool inline)
    {
        if (inline)
        {
            text.Append('\n');
        }
        foreach (var item in list)
        {
            text.Append(' ', indent).Append('-');
            switch (item)
            {
                case JsonObject map when map.Count > 0:
                    text.Append(' ');
                    WriteMap(text, map, indent + 2, inline: false, firstOnCurrentLine: true);
                    break;
                case JsonArray child when child.Count > 0:
                    WriteList(text, child, indent + 2, inline: true);
                    break;
                default:
                    WriteValue(text, item, indent + 2, inline: true);
                    break;
            }
        }
    }

    private static string Key(string key) => IsPlain(key) ? key : Quote(key);

    private static string Scalar(JsonNode? node, int indent)
    {
        if (node is null)
        {
            return "null";
        }
        var value = node.AsValue();
        switch (value.GetValueKind())
        {
            case JsonValueKind.True:
                return "true";
            case JsonValueKind.False:
                return "false";
            case JsonValueKind.Number:
                return value.ToJsonString();
            case JsonValueKind.String:
                var text = value.GetValue<string>();
                return text.Contains('\n') && LiteralBlock(text, indent) is { } block ? block
                    : IsPlain(text) ? text : Quote(text);
            default:
                throw new InvalidOperationException($"Cannot write a {value.GetValueKind()} as a YAML scalar.");
        }
    }

    private static string? LiteralBlock(string text, int indent)
    {
        var lines = text.Split('\n');
        if (lines[0].StartsWith(' ') || lines.Any(line => line.Contains('\r') || line.Contains('\t')))
        {
            return null;
        }
        var chomp = text.EndsWith("\n\n", StringComparison.Ordinal) ? "+" : text.EndsWith('\n') ? "" : "-";
        var body = text.EndsWith('\n') ? lines[..^1] : lines;
        var block = new StringBuilder("|").Append(chomp);
        foreach (var line in body)
        {
            block.Append('\n');
            if (line.Length > 0)
            {
                block.Append(' ', indent).Append(line);
            }
        }
        return block.ToString();
    }

    private static bool IsPlain(string text) =>
        text.Length > 0
        && PlainCharacters().IsMatch(text)
        && !Ambiguous().IsMatch(text)
        && !text.Contains(": ", StringComparison.Ordinal)
        && !text.Contains(" #", StringComparison.Ordinal)
        && !text.EndsWith(':')
        && !text.EndsWith(' ');

    private static string Quote(string text)
    {
        var quoted = new StringBuilder("\"");
        foreach (var c in text)
        {
            quoted.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\t' => "\\t",
                '\r' => "\\r",
                < ' ' => "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture),
                _ => c.ToString(),
            });
        }
        return quoted.Append('"').ToString();
    }

    // A plain scalar starts with a letter, digit, '/', '.', '_' or '(' and holds printable ASCII only.
    [GeneratedRegex(@"^[A-Za-z0-9/._(][\x20-\x7E]*$")]
    private static partial Regex PlainCharacters();

    // Would read as a bool, null or number under YAML 1.1 or 1.2 (including 1.2.3-like and sexagesimal forms).
    [GeneratedRegex(@"^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL|[-+]?\.?[0-9][0-9_.:eE+-]*|0[xX][0-9a-fA-F_]+|0o[0-7]+|\.(?:inf|Inf|INF|nan|NaN|NAN))$")]
    private static partial Regex Ambiguous();
}
