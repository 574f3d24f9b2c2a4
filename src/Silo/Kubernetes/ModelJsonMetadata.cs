using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using k8s;

namespace Conductor.Silo.Kubernetes;

/// <summary>
/// Makes <see cref="KubernetesJson"/> describe types by reflection only. KubernetesClient combines its
/// source-generated context with reflection; the first lookup in that context JIT-compiles a method that tests the
/// requested type against every model type of the library (about a thousand, with their list and dictionary
/// instantiations), so all of them are loaded although the agent reads a dozen. Reflection describes only the types
/// actually serialised, with the same names and converters (the models carry their JSON names as attributes; the
/// options carry the converters). Measured on the idle tenant agent: about 5 MB less resident memory.
/// </summary>
public static class ModelJsonMetadata
{
    /// <summary>
    /// Switches <see cref="KubernetesJson"/> to reflection metadata. Call before anything serialises a Kubernetes
    /// object (the options freeze on first use); returns false, changing nothing, when they are frozen already.
    /// </summary>
    public static bool UseReflectionOnly()
    {
        var switched = false;
        KubernetesJson.AddJsonOptions(options => switched = UseReflectionOnly(options));
        return switched;
    }

    /// <summary>Whether <see cref="KubernetesJson"/> describes types by reflection only.</summary>
    public static bool IsReflectionOnly()
    {
        var reflectionOnly = false;
        KubernetesJson.AddJsonOptions(options => reflectionOnly = options.TypeInfoResolver is DefaultJsonTypeInfoResolver);
        return reflectionOnly;
    }

    /// <summary>Switches <paramref name="options"/> to reflection metadata unless they are frozen already.</summary>
    internal static bool UseReflectionOnly(JsonSerializerOptions options)
    {
        if (options.TypeInfoResolver is DefaultJsonTypeInfoResolver)
        {
            return true;
        }
        if (options.IsReadOnly)
        {
            return false;
        }
        options.TypeInfoResolver = new DefaultJsonTypeInfoResolver();
        return true;
    }
}
