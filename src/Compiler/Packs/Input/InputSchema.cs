using System.Reflection;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Conductor.Compiler.Packs.Input;

/// <summary>
/// Binds a YAML tree to an input class: every key must be a property (camelCase, exact), and each value must have the
/// property's shape (scalar, list of scalars, or mapping). Reports every problem at once with its field path, and
/// records where each field is so later rules can point at it. Binding from the tree we already hold, rather than
/// running YamlDotNet's reflection deserializer over the text again, keeps the compiler's start-up short.
/// </summary>
internal sealed class InputSchema(string file)
{
    private readonly Dictionary<string, Mark> _positions = new(StringComparer.Ordinal);
    private readonly List<PackBuildProblem> _problems = [];

    public IReadOnlyDictionary<string, Mark> Positions => _positions;

    public IReadOnlyList<PackBuildProblem> Problems => _problems;

    /// <summary>A new <paramref name="type"/> bound from <paramref name="node"/>, or null for an empty or misshapen node.</summary>
    public object? Bind(YamlNode node, Type type, string path = "")
    {
        if (node is not YamlMappingNode mapping)
        {
            if (!IsNull(node))
            {
                Add(node.Start, path, $"must be a mapping of {FieldList(type)}; found {Describe(node)}");
            }
            return null;
        }

        var target = Activator.CreateInstance(type)!;
        var properties = Properties(type);
        foreach (var (keyNode, value) in mapping.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? "";
            var field = path.Length == 0 ? key : $"{path}.{key}";
            if (!properties.TryGetValue(key, out var property))
            {
                Add(keyNode.Start, field, UnknownField(key, type, properties.Keys));
                continue;
            }
            _positions[field] = keyNode.Start;
            property.SetValue(target, Value(value, property.PropertyType, field));
        }
        return target;
    }

    public static string CamelCase(string name) => char.ToLowerInvariant(name[0]) + name[1..];

    private object? Value(YamlNode value, Type type, string field)
    {
        if (IsNull(value))
        {
            return null;
        }
        if (type == typeof(string))
        {
            if (value is YamlScalarNode scalar)
            {
                return scalar.Value;
            }
            Add(value.Start, field, $"must be a string; found {Describe(value)}");
            return null;
        }
        if (type == typeof(List<string>))
        {
            if (value is not YamlSequenceNode sequence)
            {
                Add(value.Start, field, $"must be a list of strings (one '- item' per line); found {Describe(value)}");
                return null;
            }
            var items = new List<string>();
            foreach (var item in sequence.Children)
            {
                var itemField = $"{field}[{items.Count}]";
                _positions[itemField] = item.Start;
                if (item is YamlScalarNode { Value: var text })
                {
                    items.Add(text ?? "");
                }
                else
                {
                    Add(item.Start, itemField, $"must be a string; found {Describe(item)}");
                    items.Add("");
                }
            }
            return items;
        }
        return Bind(value, type, field);
    }

    private void Add(Mark mark, string field, string message) =>
        _problems.Add(new PackBuildProblem(file, (int)mark.Line, (int)mark.Column, field, message));

    private static Dictionary<string, PropertyInfo> Properties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite)
            .ToDictionary(p => CamelCase(p.Name), StringComparer.Ordinal);

    private static string UnknownField(string key, Type type, IEnumerable<string> known)
    {
        var names = known.ToList();
        var sameLetters = names.FirstOrDefault(n => string.Equals(n, key, StringComparison.OrdinalIgnoreCase));
        var close = names.Where(n => Distance(n, key) <= 2).OrderBy(n => Distance(n, key)).FirstOrDefault();
        var hint = sameLetters is not null ? $"did you mean '{sameLetters}'? Field names are case-sensitive"
            : close is not null ? $"did you mean '{close}'?"
            : $"the fields are {FieldList(type)}";
        return $"unknown field '{key}' (rule: only the fields of the {type.Name} schema are allowed): {hint}";
    }

    // Levenshtein distance, to suggest the field a typo meant.
    private static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            previous = current;
        }
        return previous[b.Length];
    }

    private static string FieldList(Type type) => string.Join(", ", Properties(type).Keys);

    private static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain, Value: null or "" or "~" or "null" or "Null" or "NULL" };

    private static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        YamlScalarNode scalar => $"the value '{scalar.Value}'",
        _ => node.NodeType.ToString(),
    };
}
