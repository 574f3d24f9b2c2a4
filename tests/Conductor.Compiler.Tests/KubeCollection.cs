using Conductor.TestSupport.Kubernetes;

namespace Conductor.Compiler.Tests;

/// <summary>Tests that share the real kube-apiserver; run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class KubeCollection : ICollectionFixture<KubeFixture>
{
    public const string Name = "kube-apiserver";
}
