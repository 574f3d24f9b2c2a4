using Conductor.TestSupport.Kubernetes;

namespace Conductor.Silo.Tests.Kubernetes;

/// <summary>Tests that share the real kube-apiserver; run one at a time, with the Seam CRDs installed once.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class KubeCollection : ICollectionFixture<KubeFixture>
{
    public const string Name = "kube-apiserver";
}
