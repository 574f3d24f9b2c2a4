using System.Reflection;
using Conductor.Resources;
using k8s;
using k8s.Models;

namespace Conductor.Interfaces.Tests.Resources;

public sealed class ResourceKindsTests
{
    private static readonly Type[] DeclaredKinds =
    [
        .. typeof(ResourceKinds).Assembly.GetTypes()
            .Where(t => t.IsClass && !t.IsAbstract && t.GetCustomAttribute<KubernetesEntityAttribute>() is not null),
    ];

    [Fact]
    public void All_ComparedWithDeclaredKinds_ListsEachExactlyOnce()
    {
        Assert.Equal(DeclaredKinds.Select(t => t.Name).Order(), ResourceKinds.All.Select(t => t.Name).Order());
        Assert.Equal(22, ResourceKinds.All.Count);
    }

    [Fact]
    public void All_EveryKind_IsNamespacedObjectWithSpecAndStatus()
    {
        foreach (var kind in ResourceKinds.All)
        {
            Assert.True(typeof(IKubernetesObject<V1ObjectMeta>).IsAssignableFrom(kind), kind.Name);
            Assert.Contains(kind.GetInterfaces(), i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(ISpec<>));
            Assert.Contains(kind.GetInterfaces(), i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IStatus<>));
            Assert.True(kind.IsSealed, $"{kind.Name} must be sealed");
        }
    }

    [Fact]
    public void All_EveryKind_ConstantsAgreeWithEntityAttributeAndNewInstance()
    {
        foreach (var kind in ResourceKinds.All)
        {
            var entity = kind.GetCustomAttribute<KubernetesEntityAttribute>()!;
            var instance = (IKubernetesObject)Activator.CreateInstance(kind)!;

            Assert.Equal(entity.Kind, kind.GetField("KindName")!.GetValue(null));
            Assert.Equal(entity.PluralName, kind.GetField("Plural")!.GetValue(null));
            Assert.Equal(kind.Name, entity.Kind);
            Assert.Equal(entity.Kind, instance.Kind);
            Assert.Equal($"{entity.Group}/{entity.ApiVersion}", instance.ApiVersion);
            Assert.Contains(entity.Group, new[] { SeamApi.Group, GuardianApi.Group });
        }
    }
}
