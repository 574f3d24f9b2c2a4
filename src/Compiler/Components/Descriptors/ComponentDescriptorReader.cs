using Conductor.Components;
using Conductor.Resources.Guardian;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Conductor.Compiler.Components.Descriptors;

/// <summary>
/// Reads a custom component descriptor: the shape of a catalog entry, written by hand for a component the catalog does
/// not hold. Unknown fields, wrong node types and YAML syntax errors are reported with <c>file:line:column</c> and the
/// field path; value rules are <see cref="ComponentValidator"/>'s.
/// </summary>
public static class ComponentDescriptorReader
{
    private static readonly string[] RootFields = ["name", "version", "description", "namespace", "principals"];
    private static readonly string[] PrincipalFields = ["serviceAccount", "profile", "permissionSets"];
    private static readonly string[] PermissionSetFields = ["name", "description", "scope", "namespaces", "rules"];
    private static readonly string[] RuleFields = ["apiGroups", "resources", "verbs", "resourceNames"];

    /// <summary>The descriptor, or null with <paramref name="errors"/> saying why (nothing is validated beyond shape then).</summary>
    public static ComponentDescriptor? Read(string path, List<string> errors)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            errors.Add($"{path}: cannot read the descriptor: {ex.Message}");
            return null;
        }

        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            errors.Add($"{path}:{ex.Start.Line}:{ex.Start.Column}: not valid YAML: {ex.Message}");
            return null;
        }
        if (stream.Documents.Count != 1)
        {
            errors.Add($"{path}: must hold exactly one YAML document; found {stream.Documents.Count}");
            return null;
        }

        var reader = new Reader(path, errors);
        var before = errors.Count;
        var definition = reader.Component(stream.Documents[0].RootNode);
        return errors.Count > before || definition is null ? null : new ComponentDescriptor(path, definition, reader.Locate);
    }

    private sealed class Reader(string file, List<string> errors)
    {
        private readonly Dictionary<string, Mark> _positions = new(StringComparer.Ordinal);

        /// <summary>The position of <paramref name="path"/>, or of its nearest parent that exists in the file.</summary>
        public string Locate(string path)
        {
            for (var current = path; ; current = Parent(current))
            {
                if (_positions.TryGetValue(current, out var mark))
                {
                    return $"{file}:{mark.Line}:{mark.Column}";
                }
                if (current.Length == 0)
                {
                    return $"{file}:1:1";
                }
            }
        }

        public ComponentDefinition? Component(YamlNode root)
        {
            _positions[""] = root.Start;
            if (Map(root, "", RootFields) is not { } map)
            {
                return null;
            }
            var name = Scalar(map, "name", "");
            var principals = Items(map, "principals", "", Principal);
            if (principals.Count > 1)
            {
                for (var i = 0; i < principals.Count; i++)
                {
                    if (principals[i].Profile.Length == 0)
                    {
                        Error($"principals[{i}].profile", "required when the descriptor has several principals: name each one's RBACProfile");
                    }
                }
            }
            else if (principals.Count == 1 && principals[0].Profile.Length == 0 && name.Length > 0)
            {
                principals = [principals[0] with { Profile = $"rbac-{name}" }];
            }
            return new ComponentDefinition(name, Scalar(map, "version", ""), Scalar(map, "description", ""), Scalar(map, "namespace", ""), [], principals);
        }

        private ComponentPrincipal? Principal(YamlNode node, string path) =>
            Map(node, path, PrincipalFields) is not { } map ? null
                : new ComponentPrincipal(Scalar(map, "profile", path), Scalar(map, "serviceAccount", path), Items(map, "permissionSets", path, PermissionSet));

        private ComponentPermissionSet? PermissionSet(YamlNode node, string path)
        {
            if (Map(node, path, PermissionSetFields) is not { } map)
            {
                return null;
            }
            var scopePath = Join(path, "scope");
            var scope = Scalar(map, "scope", path) switch
            {
                "cluster" => PermissionScope.Cluster,
                "namespaced" => PermissionScope.Namespaced,
                "" => Fail(scopePath, "required: cluster or namespaced"),
                var other => Fail(scopePath, $"must be cluster or namespaced; got '{other}'"),
            };
            return new ComponentPermissionSet(Scalar(map, "name", path), Scalar(map, "description", path), scope,
                Items(map, "rules", path, Rule), Strings(map, "namespaces", path));
        }

        private PermissionRule? Rule(YamlNode node, string path) =>
            Map(node, path, RuleFields) is not { } map ? null : new PermissionRule
            {
                ApiGroups = Strings(map, "apiGroups", path),
                Resources = Strings(map, "resources", path),
                Verbs = Strings(map, "verbs", path) ?? [],
                ResourceNames = Strings(map, "resourceNames", path),
            };

        private PermissionScope Fail(string path, string rule)
        {
            Error(path, rule);
            return PermissionScope.Cluster;
        }

        /// <summary>The node as a mapping whose keys are all in <paramref name="known"/>; records each field's position.</summary>
        private YamlMappingNode? Map(YamlNode node, string path, string[] known)
        {
            if (node is not YamlMappingNode map)
            {
                Error(path, $"must be a mapping with the fields {string.Join(", ", known)}");
                return null;
            }
            foreach (var (keyNode, value) in map.Children)
            {
                var key = (keyNode as YamlScalarNode)?.Value ?? "";
                var fieldPath = Join(path, key);
                _positions[fieldPath] = keyNode.Start;
                if (!known.Contains(key, StringComparer.Ordinal))
                {
                    Error(fieldPath, $"unknown field '{key}'; the fields here are {string.Join(", ", known)}");
                }
                else
                {
                    _positions[fieldPath] = value.Start;
                }
            }
            return map;
        }

        private string Scalar(YamlMappingNode map, string key, string path)
        {
            if (!map.Children.TryGetValue(new YamlScalarNode(key), out var node) || IsNull(node))
            {
                return "";
            }
            if (node is YamlScalarNode scalar)
            {
                return scalar.Value ?? "";
            }
            Error(Join(path, key), "must be a single value, not a list or mapping");
            return "";
        }

        private List<string>? Strings(YamlMappingNode map, string key, string path)
        {
            if (!map.Children.TryGetValue(new YamlScalarNode(key), out var node) || IsNull(node))
            {
                return null;
            }
            var at = Join(path, key);
            if (node is not YamlSequenceNode sequence)
            {
                Error(at, "must be a list of strings");
                return null;
            }
            var values = new List<string>();
            for (var i = 0; i < sequence.Children.Count; i++)
            {
                _positions[$"{at}[{i}]"] = sequence.Children[i].Start;
                if (sequence.Children[i] is YamlScalarNode { Value: { } value })
                {
                    values.Add(value);
                }
                else
                {
                    Error($"{at}[{i}]", "must be a string");
                }
            }
            return values;
        }

        private List<T> Items<T>(YamlMappingNode map, string key, string path, Func<YamlNode, string, T?> read)
            where T : class
        {
            var items = new List<T>();
            if (!map.Children.TryGetValue(new YamlScalarNode(key), out var node) || IsNull(node))
            {
                return items;
            }
            var at = Join(path, key);
            if (node is not YamlSequenceNode sequence)
            {
                Error(at, "must be a list");
                return items;
            }
            for (var i = 0; i < sequence.Children.Count; i++)
            {
                var itemPath = $"{at}[{i}]";
                _positions[itemPath] = sequence.Children[i].Start;
                if (read(sequence.Children[i], itemPath) is { } item)
                {
                    items.Add(item);
                }
            }
            return items;
        }

        private void Error(string path, string rule) => errors.Add($"{Locate(path)}: {(path.Length == 0 ? "(document)" : path)}: {rule}");

        // A plain empty or ~/null scalar is an absent value, as YAML readers in the Kubernetes tool chain treat it.
        private static bool IsNull(YamlNode node) =>
            node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any, Value: null or "" or "~" or "null" or "Null" or "NULL" };

        private static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

        private static string Parent(string path)
        {
            var cut = Math.Max(path.LastIndexOf('.'), path.LastIndexOf('['));
            return cut < 0 ? "" : path[..cut];
        }
    }
}
