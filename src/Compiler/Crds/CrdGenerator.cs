using System.Reflection;
using Conductor.Resources;
using Conductor.Resources.Schema;
using k8s.Models;

namespace Conductor.Compiler.Crds;

/// <summary>
/// Generates the CustomResourceDefinition of a resource model (<see cref="KubernetesResource{TSpec,TStatus}"/>
/// carrying <see cref="KubernetesEntityAttribute"/>): schema, status subresource, names and printer columns.
/// The models are the single source of truth (DESIGN §3).
/// </summary>
public static class CrdGenerator
{
    private static readonly Dictionary<string, string> CategoryByGroup = new(StringComparer.Ordinal)
    {
        [SeamApi.Group] = SeamApi.Category,
        [GuardianApi.Group] = GuardianApi.Category,
    };

    /// <summary>One CRD per kind, sorted by group and then plural so the output order never depends on the input.</summary>
    public static IReadOnlyList<V1CustomResourceDefinition> GenerateAll(IEnumerable<Type> kinds) =>
        [.. kinds.Select(Generate)
            .OrderBy(crd => crd.Spec.Group, StringComparer.Ordinal)
            .ThenBy(crd => crd.Spec.Names.Plural, StringComparer.Ordinal)];

    public static V1CustomResourceDefinition Generate(Type kind)
    {
        var entity = kind.GetCustomAttribute<KubernetesEntityAttribute>()
            ?? throw new InvalidOperationException($"{kind.FullName} has no [KubernetesEntity]; it is not a resource kind.");
        if (string.IsNullOrEmpty(entity.Group) || string.IsNullOrEmpty(entity.ApiVersion) ||
            string.IsNullOrEmpty(entity.Kind) || string.IsNullOrEmpty(entity.PluralName))
        {
            throw new InvalidOperationException($"{kind.FullName}: [KubernetesEntity] must set Group, ApiVersion, Kind and PluralName.");
        }
        if (!CategoryByGroup.TryGetValue(entity.Group, out var category))
        {
            throw new InvalidOperationException($"{kind.FullName}: group {entity.Group} is not a Seam API group.");
        }

        var (specType, statusType) = SpecAndStatusTypes(kind);
        var builder = new SchemaBuilder();
        var root = new V1JSONSchemaProps
        {
            Type = "object",
            Properties = new Dictionary<string, V1JSONSchemaProps>(StringComparer.Ordinal)
            {
                ["apiVersion"] = new() { Type = "string" },
                ["kind"] = new() { Type = "string" },
                // The API server validates metadata itself; a CRD schema must not describe it further.
                ["metadata"] = new() { Type = "object" },
                ["spec"] = builder.ForObject(specType),
                ["status"] = builder.ForObject(statusType),
            },
            Required = ["spec"],
        };

        var shortNames = kind.GetCustomAttribute<ShortNamesAttribute>()?.Names;
        return new V1CustomResourceDefinition
        {
            ApiVersion = "apiextensions.k8s.io/v1",
            Kind = "CustomResourceDefinition",
            Metadata = new V1ObjectMeta { Name = $"{entity.PluralName}.{entity.Group}" },
            Spec = new V1CustomResourceDefinitionSpec
            {
                Group = entity.Group,
                Scope = "Namespaced",
                Names = new V1CustomResourceDefinitionNames
                {
                    Kind = entity.Kind,
                    ListKind = entity.Kind + "List",
                    Plural = entity.PluralName,
                    Singular = entity.Kind.ToLowerInvariant(),
                    ShortNames = shortNames is { Count: > 0 } ? [.. shortNames] : null,
                    Categories = [category],
                },
                Versions =
                [
                    new V1CustomResourceDefinitionVersion
                    {
                        Name = entity.ApiVersion,
                        Served = true,
                        Storage = true,
                        Schema = new V1CustomResourceValidation { OpenAPIV3Schema = root },
                        Subresources = new V1CustomResourceSubresources { Status = new Dictionary<string, object>() },
                        AdditionalPrinterColumns = PrinterColumns(kind),
                    },
                ],
            },
        };
    }

    private static (Type Spec, Type Status) SpecAndStatusTypes(Type kind)
    {
        var spec = GenericArgumentOf(kind, typeof(ISpec<>));
        var status = GenericArgumentOf(kind, typeof(IStatus<>));
        return spec is not null && status is not null
            ? (spec, status)
            : throw new InvalidOperationException($"{kind.FullName} must implement ISpec<T> and IStatus<T>; every Seam kind has both.");
    }

    private static Type? GenericArgumentOf(Type kind, Type openInterface) =>
        kind.GetInterfaces()
            .FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == openInterface)?
            .GetGenericArguments()[0];

    private static List<V1CustomResourceColumnDefinition> PrinterColumns(Type kind)
    {
        var columns = kind.GetCustomAttributes<PrinterColumnAttribute>()
            .OrderBy(c => c.Order)
            .Select(c => new V1CustomResourceColumnDefinition
            {
                Name = c.Name,
                Type = c.Type,
                JsonPath = c.JsonPath,
                Priority = c.Priority > 0 ? c.Priority : null,
            })
            .ToList();
        columns.Add(new V1CustomResourceColumnDefinition { Name = "Age", Type = "date", JsonPath = ".metadata.creationTimestamp" });
        return columns;
    }
}
