using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Conductor.Compiler.Encryption.Sops;

/// <summary>
/// A leaf value as sops sees it after go-yaml decodes the document: its sops type (<c>str</c>, <c>int</c>,
/// <c>float</c>, <c>bool</c>) and its text as sops serializes that type for encryption and for the MAC.
/// </summary>
internal sealed partial record SopsValue(string Type, string Text)
{
    public const string Str = "str";
    public const string Int = "int";
    public const string Float = "float";
    public const string Bool = "bool";

    /// <summary>The typed value of a YAML scalar, or null for a YAML null (which sops neither encrypts nor MACs).</summary>
    /// <exception cref="SopsException">A plain scalar whose go-yaml reading is not certain (octal, binary, .inf, …).</exception>
    public static SopsValue? FromScalar(YamlScalarNode scalar, string where)
    {
        var value = scalar.Value ?? "";
        var tag = scalar.Tag.IsEmpty ? "" : scalar.Tag.Value;
        if (tag is "tag:yaml.org,2002:str")
        {
            return new SopsValue(Str, value);
        }
        if (tag.Length > 0 && tag != "?")
        {
            throw new SopsException($"{where}: explicit YAML tag {tag} is not supported; remove the tag or quote the value");
        }
        if (scalar.Style != ScalarStyle.Plain && scalar.Style != ScalarStyle.Any)
        {
            return new SopsValue(Str, value);
        }
        if (value is "" or "~" or "null" or "Null" or "NULL")
        {
            return null;
        }
        if (value is "true" or "True" or "TRUE")
        {
            return new SopsValue(Bool, "True");
        }
        if (value is "false" or "False" or "FALSE")
        {
            return new SopsValue(Bool, "False");
        }
        if (OtherNumberLike().IsMatch(value))
        {
            throw Ambiguous(where, value);
        }
        if (DecimalInteger().IsMatch(value))
        {
            return long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer)
                ? new SopsValue(Int, integer.ToString(CultureInfo.InvariantCulture))
                : throw Ambiguous(where, value);
        }
        if (PlainFloat().IsMatch(value))
        {
            var number = double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture);
            return double.IsFinite(number) ? new SopsValue(Float, GoFloat.FormatF(number)) : throw Ambiguous(where, value);
        }
        return new SopsValue(Str, value);
    }

    /// <summary>A scalar node showing this value as sops would print it after decryption.</summary>
    public YamlScalarNode ToScalar()
    {
        if (Type != Str)
        {
            return new YamlScalarNode(Type == Bool ? Text.ToLowerInvariant() : Text) { Style = ScalarStyle.Plain };
        }
        // A string that would read back as another type (or null) must be quoted.
        var plain = new YamlScalarNode(Text) { Style = ScalarStyle.Plain };
        var readsAsString = FromScalarOrNull(plain) is { Type: Str };
        return readsAsString ? new YamlScalarNode(Text) : new YamlScalarNode(Text) { Style = ScalarStyle.DoubleQuoted };
    }

    private static SopsValue? FromScalarOrNull(YamlScalarNode node)
    {
        try
        {
            return FromScalar(node, "");
        }
        catch (SopsException)
        {
            return null;
        }
    }

    private static SopsException Ambiguous(string where, string value) =>
        new($"{where}: the plain scalar '{value}' has no unambiguous sops type (octal, binary, hexadecimal, out of range, " +
            ".inf or .nan); quote it to make it a string");

    [GeneratedRegex(@"^[-+]?(0|[1-9][0-9]*)$", RegexOptions.CultureInvariant)]
    private static partial Regex DecimalInteger();

    [GeneratedRegex(@"^[-+]?([0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)([eE][-+]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex PlainFloat();

    [GeneratedRegex(@"^[-+]?(0[0-9_]+|0[xXoObB][0-9a-fA-F_]+|[0-9][0-9_]*_[0-9_]*|\.(inf|Inf|INF|nan|NaN|NAN))$", RegexOptions.CultureInvariant)]
    private static partial Regex OtherNumberLike();
}
