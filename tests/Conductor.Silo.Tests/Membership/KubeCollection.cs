using Conductor.TestSupport.Kubernetes;

namespace Conductor.Silo.Tests.Membership;

/// <summary>Membership tests share the real kube-apiserver; they run one class at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class KubeCollection : ICollectionFixture<KubeFixture>
{
    public const string Name = "membership-kube-apiserver";
}
