using System.Reflection;
using k8s;
using k8s.Models;

namespace Conductor.TestSupport.Kubernetes;

/// <summary>Group, version and plural of a Seam kind, read from its <see cref="KubernetesEntityAttribute"/>.</summary>
public sealed record KubeApi(string Group, string Version, string Plural, string Kind)
{
    public static KubeApi Of(Type kind)
    {
        var entity = kind.GetCustomAttribute<KubernetesEntityAttribute>()
            ?? throw new InvalidOperationException($"{kind.Name} has no [KubernetesEntity].");
        return new KubeApi(entity.Group, entity.ApiVersion, entity.PluralName, entity.Kind);
    }

    public static KubeApi Of<T>() where T : IKubernetesObject => Of(typeof(T));

    public GenericClient GenericClient(IKubernetes client) => new(client, Group, Version, Plural, disposeClient: false);
}
