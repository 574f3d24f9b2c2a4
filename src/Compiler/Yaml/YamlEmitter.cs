using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Conductor.Compiler.Yaml;

/// <summary>
/// Writes a JSON tree as block YAML the way sigs.k8s.io/yaml lays it out (compiler notes §0.5): 2-space indent,
/// sequences not indented under their key, strings that would read as another type double-quoted, multi-line
/// strings as literal blocks. Keys keep the order of the tree, so the caller decides the layout.
/// </summary>
internal static partial class YamlEmitter
{
    public static string Emit(JsonNode? root)
    {
        var text = new StringBuilder();
        switch (root)
        {
            case JsonObject map when map.Count > 0:
                WriteMapping(text, map, 0);
                break;
            case JsonArray list when list.Count > 0:
                WriteSequence(text, list, 0);
                break;
            default:
                text.Append(Scalar(root, 0)).Append('\n');
                break;
        }
        return text.ToString();
    }

    private static void WriteMapping(StringBuilder text, JsonObject map, int indent)
    {
        var first = true;
        foreach (var (key, value) in map)
        {
            if (!first)
            {
                text.Append(' ', indent);
            }
            first = false;
            text.Append(QuoteIfNeeded(key)).Append(':');
            WriteValueAfterKey(text, value, indent);
        }
    }

    private static void WriteSequence(StringBuilder text, JsonArray list, int indent)
    {
        var first = true;
        foreach (var item in list)
        {
            if (!first)
            {
                text.Append(' ', indent);
            }
            first = false;
            text.Append("- ");
            switch (item)
            {
                case JsonObject map when map.Count > 0:
                    WriteMapping(text, map, indent + 2);
                    break;
                case JsonArray inner when inner.Count > 0:
                    WriteSequence(text, inner, indent + 2);
                    break;
                default:
                    text.Append(Scalar(item, indent + 2)).Append('\n');
                    break;
            }
        }
    }

    private static void WriteValueAfterKey(StringBuilder text, JsonNode? value, int indent)
    {
        switch (value)
        {
            case JsonObject map when map.Count > 0:
                text.Append('\n').Append(' ', indent + 2);
                WriteMapping(text, map, indent + 2);
                break;
            case JsonArray list when list.Count > 0:
                // sigs.k8s.io/yaml style: the dash sits at the key's own indentation.
                text.Append('\n').Append(' ', indent);
                WriteSequence(text, list, indent);
                break;
            default:
                text.Append(' ').Append(Scalar(value, indent + 2)).Append('\n');
                break;
        }
    }

    private static string Scalar(JsonNode? node, int blockIndent)
    {
        switch (node)
        {
            case null:
                return "null";
            case JsonObject:
                return "{}";
            case JsonArray:
                return "[]";
        }
        var value = node.AsValue();
        return value.GetValueKind() switch
        {
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            JsonValueKind.Null => "null",
            JsonValueKind.Number => value.ToJsonString(),
            JsonValueKind.String => StringScalar(value.GetValue<string>(), blockIndent),
            var kind => throw new InvalidOperationException($"unexpected JSON value kind {kind}"),
        };
    }

    private static string StringScalar(string value, int blockIndent)
    {
        if (value.Contains('\n') && CanBeLiteralBlock(value))
        {
            var body = value.TrimEnd('\n');
            var trailing = value.Length - body.Length;
            var indicator = trailing switch { 0 => "|-", 1 => "|", _ => "|+" };
            var block = new StringBuilder(indicator);
            foreach (var line in (trailing > 1 ? value[..^1] : body).Split('\n'))
            {
                block.Append('\n');
                if (line.Length > 0)
                {
                    block.Append(' ', blockIndent).Append(line);
                }
            }
            return block.ToString();
        }
        return QuoteIfNeeded(value);
    }

    // A literal block cannot carry a leading space on its first line (it would set the indentation), trailing
    // spaces on lines, or characters YAML cannot print raw.
    private static bool CanBeLiteralBlock(string value) =>
        !value.StartsWith(' ') && !value.Contains(" \n", StringComparison.Ordinal) && !value.Contains('\r') &&
        !value.EndsWith(' ') && value.All(c => c == '\n' || c == '\t' || !char.IsControl(c));

    /// <summary>The string plain when YAML would read it back as the same string, else double-quoted.</summary>
    public static string QuoteIfNeeded(string value) => NeedsQuotes(value) ? JsonSerializer.Serialize(value, QuoteOptions) : value;

    private static readonly JsonSerializerOptions QuoteOptions = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static bool NeedsQuotes(string value)
    {
        if (value.Length == 0 || value != value.Trim() || "-?:,[]{}#&*!|>'\"%@`".Contains(value[0]))
        {
            return true;
        }
        if (value.Contains(": ", StringComparison.Ordinal) || value.Contains(" #", StringComparison.Ordinal) || value.EndsWith(':'))
        {
            return true;
        }
        if (value.Any(c => char.IsControl(c) || c == '\u2028' || c == '\u2029' || c == '\uFEFF'))
        {
            return true;
        }
        return LooksTyped(value);
    }

    // YAML 1.1 and 1.2 readers (go-yaml, PyYAML, YamlDotNet) must all read the value back as a string.
    private static bool LooksTyped(string value) =>
        TypedWord().IsMatch(value) || NumberLike().IsMatch(value) ||
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _);

    [GeneratedRegex("^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE|yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF|y|Y|n|N|=|<<)$")]
    private static partial Regex TypedWord();

    [GeneratedRegex(@"^[-+]?(?:0[xXoObB][0-9a-fA-F_]+|[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?|\.(?:inf|Inf|INF|nan|NaN|NAN)|[0-9][0-9_]*|(?:[0-9][0-9_]*)?\.[0-9_]*(?:[eE][-+]?[0-9]+)?|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}.*)$")]
    private static partial Regex NumberLike();
}
