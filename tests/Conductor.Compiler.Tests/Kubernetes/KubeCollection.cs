using Conductor.TestSupport.Kubernetes;

namespace Conductor.Compiler.Tests.Kubernetes;

/// <summary>Test classes that talk to the real management kube-apiserver share one client with the Seam CRDs installed.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class KubeCollection : ICollectionFixture<KubeFixture>
{
    public const string Name = "kube-apiserver";
}
