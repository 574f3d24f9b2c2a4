using System.Collections;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using Conductor.Resources.Schema;
using k8s;
using k8s.Models;

namespace Conductor.TestSupport.Resources;

/// <summary>
/// Builds a Seam resource with every field of its spec and status set to a valid, deterministic value, so a
/// round trip through the API server proves that no field is pruned or mistyped by the generated schema.
/// </summary>
public static class SampleResources
{
    public static readonly DateTimeOffset Timestamp = new(2024, 5, 6, 7, 8, 9, TimeSpan.Zero);

    /// <summary>A fully populated <paramref name="kind"/> named <paramref name="name"/>, status included.</summary>
    public static IKubernetesObject<V1ObjectMeta> Create(Type kind, string @namespace, string name)
    {
        var resource = (IKubernetesObject<V1ObjectMeta>)(Activator.CreateInstance(kind)
            ?? throw new InvalidOperationException($"{kind.Name} has no parameterless constructor."));
        resource.Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = @namespace };
        foreach (var part in new[] { "Spec", "Status" })
        {
            var property = kind.GetProperty(part) ?? throw new InvalidOperationException($"{kind.Name} has no {part}.");
            property.SetValue(resource, Fill(property.PropertyType, part.ToLowerInvariant()));
        }
        return resource;
    }

    /// <summary>The status of a sample of <paramref name="kind"/>, for writing through <c>/status</c>.</summary>
    public static object Status(Type kind) =>
        Fill(kind.GetProperty("Status")!.PropertyType, "status");

    private static object Fill(Type type, string path, PropertyInfo? property = null)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string))
        {
            return property?.GetCustomAttribute<FormatAttribute>()?.Format == "byte"
                ? Convert.ToBase64String("sample signature"u8.ToArray())
                : "sample-" + path.Replace('.', '-');
        }
        if (type == typeof(bool))
        {
            return true;
        }
        if (type == typeof(int))
        {
            return 3;
        }
        if (type == typeof(long))
        {
            return 7L;
        }
        if (type == typeof(DateTimeOffset))
        {
            return Timestamp;
        }
        if (type.IsEnum)
        {
            // The last member, so the value differs from the CLR default and must really travel.
            var values = Enum.GetValues(type);
            return values.GetValue(values.Length - 1)!;
        }
        if (type == typeof(JsonElement))
        {
            using var document = JsonDocument.Parse("""{"sample":{"nested":[1,"two",true],"path":"PATH"}}""".Replace("PATH", path, StringComparison.Ordinal));
            return document.RootElement.Clone();
        }
        if (type == typeof(V1Condition))
        {
            return new V1Condition
            {
                Type = "Ready", Status = "True", Reason = "Sampled", Message = "sample " + path,
                LastTransitionTime = Timestamp.UtcDateTime, ObservedGeneration = 1,
            };
        }
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>))
        {
            var dictionary = (IDictionary)Activator.CreateInstance(typeof(Dictionary<,>).MakeGenericType(type.GetGenericArguments()))!;
            dictionary.Add("key", Fill(type.GetGenericArguments()[1], path + ".key"));
            return dictionary;
        }
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyList<>))
        {
            var itemType = type.GetGenericArguments()[0];
            var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(itemType))!;
            list.Add(Fill(itemType, path + ".0"));
            return list;
        }
        if (type.IsClass)
        {
            var instance = Activator.CreateInstance(type)
                ?? throw new InvalidOperationException($"{type.Name} has no parameterless constructor.");
            foreach (var member in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
            {
                var name = member.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? member.Name;
                member.SetValue(instance, Fill(member.PropertyType, path + "." + name, member));
            }
            return instance;
        }
        throw new InvalidOperationException($"No sample value for {type.FullName} at {path}.");
    }
}
