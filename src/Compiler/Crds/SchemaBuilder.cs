using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Conductor.Resources.Schema;
using k8s.Models;

namespace Conductor.Compiler.Crds;

/// <summary>
/// Builds a structural OpenAPI v3 schema (apiextensions.k8s.io/v1) from a resource model type by reflection:
/// every field typed, properties in declared order, free-form JSON as preserve-unknown-fields objects.
/// </summary>
internal sealed class SchemaBuilder
{
    private readonly HashSet<Type> _inProgress = [];

    /// <summary>Schema of a record: one property per public property carrying <see cref="JsonPropertyNameAttribute"/>.</summary>
    public V1JSONSchemaProps ForObject(Type type)
    {
        if (!_inProgress.Add(type))
        {
            throw new InvalidOperationException(
                $"{type.FullName} contains itself; a structural CRD schema cannot be recursive. Break the cycle in the model.");
        }
        try
        {
            var properties = new Dictionary<string, V1JSONSchemaProps>(StringComparer.Ordinal);
            var required = new List<string>();
            // MetadataToken order is declaration order: the schema lists fields as the model declares them.
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).OrderBy(p => p.MetadataToken))
            {
                if (property.GetCustomAttribute<JsonIgnoreAttribute>() is { Condition: JsonIgnoreCondition.Always })
                {
                    continue;
                }
                var name = property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name
                    ?? throw new InvalidOperationException(
                        $"{type.FullName}.{property.Name} has no [JsonPropertyName]; every resource model field names its JSON key explicitly.");
                if (!properties.TryAdd(name, ForProperty(property)))
                {
                    throw new InvalidOperationException($"{type.FullName} declares the JSON name '{name}' twice.");
                }
                if (property.IsDefined(typeof(RequiredAttribute)))
                {
                    required.Add(name);
                }
            }
            return new V1JSONSchemaProps
            {
                Type = "object",
                Properties = properties,
                Required = required.Count > 0 ? required : null,
            };
        }
        finally
        {
            _inProgress.Remove(type);
        }
    }

    private V1JSONSchemaProps ForProperty(PropertyInfo property)
    {
        var schema = ForType(property.PropertyType, $"{property.DeclaringType?.FullName}.{property.Name}");
        if (property.GetCustomAttribute<FormatAttribute>() is { } format)
        {
            schema.Format = format.Format;
        }
        if (property.GetCustomAttribute<MinLengthAttribute>() is { } minLength)
        {
            schema.MinLength = minLength.Length;
        }
        if (property.GetCustomAttribute<MinimumAttribute>() is { } minimum)
        {
            schema.Minimum = minimum.Value;
        }
        if (property.GetCustomAttribute<DefaultAttribute>() is { } defaultValue)
        {
            schema.DefaultProperty = defaultValue.Value;
        }
        return schema;
    }

    private V1JSONSchemaProps ForType(Type type, string where)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;

        if (type == typeof(string))
        {
            return new V1JSONSchemaProps { Type = "string" };
        }
        if (type == typeof(bool))
        {
            return new V1JSONSchemaProps { Type = "boolean" };
        }
        if (type == typeof(int))
        {
            return new V1JSONSchemaProps { Type = "integer", Format = "int32" };
        }
        if (type == typeof(long))
        {
            return new V1JSONSchemaProps { Type = "integer", Format = "int64" };
        }
        if (type == typeof(double))
        {
            return new V1JSONSchemaProps { Type = "number", Format = "double" };
        }
        if (type == typeof(DateTimeOffset) || type == typeof(DateTime))
        {
            return new V1JSONSchemaProps { Type = "string", Format = "date-time" };
        }
        if (type.IsEnum)
        {
            return new V1JSONSchemaProps { Type = "string", EnumProperty = EnumValues(type) };
        }
        if (type == typeof(JsonElement) || typeof(JsonNode).IsAssignableFrom(type))
        {
            // Free-form JSON (an OperationResult, a parameter schema): kept verbatim, never pruned.
            return new V1JSONSchemaProps { Type = "object", XKubernetesPreserveUnknownFields = true };
        }
        if (type == typeof(V1Condition))
        {
            return ConditionSchema.Create();
        }
        if (DictionaryValueType(type) is { } valueType)
        {
            return new V1JSONSchemaProps { Type = "object", AdditionalProperties = ForType(valueType, where) };
        }
        if (ListItemType(type) is { } itemType)
        {
            var array = new V1JSONSchemaProps { Type = "array", Items = ForType(itemType, where) };
            if (itemType == typeof(V1Condition))
            {
                // Conditions are keyed by type, as metav1.Condition lists are, so server-side apply merges them.
                array.XKubernetesListType = "map";
                array.XKubernetesListMapKeys = ["type"];
            }
            return array;
        }
        if (type.IsClass && type.Namespace?.StartsWith("Conductor.", StringComparison.Ordinal) == true)
        {
            return ForObject(type);
        }
        throw new InvalidOperationException(
            $"{where} has type {type.FullName}, which has no CRD schema mapping. Use string, bool, int, long, " +
            "DateTimeOffset, an enum, JsonElement, a list, a string-keyed dictionary or a Conductor record.");
    }

    private static List<object> EnumValues(Type enumType) =>
        [.. enumType.GetFields(BindingFlags.Public | BindingFlags.Static)
            .OrderBy(f => f.MetadataToken)
            .Select(f => (object)(f.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? f.Name))];

    private static Type? DictionaryValueType(Type type)
    {
        if (!type.IsGenericType)
        {
            return null;
        }
        var definition = type.GetGenericTypeDefinition();
        var isDictionary = definition == typeof(IReadOnlyDictionary<,>) || definition == typeof(IDictionary<,>) ||
                           definition == typeof(Dictionary<,>);
        if (!isDictionary)
        {
            return null;
        }
        var arguments = type.GetGenericArguments();
        return arguments[0] == typeof(string)
            ? arguments[1]
            : throw new InvalidOperationException($"{type} is keyed by {arguments[0].Name}; JSON object keys are strings.");
    }

    private static Type? ListItemType(Type type)
    {
        if (type.IsArray)
        {
            return type.GetElementType();
        }
        if (!type.IsGenericType)
        {
            return null;
        }
        var definition = type.GetGenericTypeDefinition();
        return definition == typeof(IReadOnlyList<>) || definition == typeof(IList<>) || definition == typeof(List<>) ||
               definition == typeof(IEnumerable<>) || definition == typeof(IReadOnlyCollection<>) ||
               definition == typeof(ICollection<>)
            ? type.GetGenericArguments()[0]
            : null;
    }
}
