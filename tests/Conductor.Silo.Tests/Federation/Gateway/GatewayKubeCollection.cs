using Conductor.TestSupport.Kubernetes;

namespace Conductor.Silo.Tests.Federation.Gateway;

/// <summary>Gateway tests share the real kube-apiserver (the grains behind the gateway store there); one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GatewayKubeCollection : ICollectionFixture<KubeFixture>
{
    public const string Name = "gateway-kube-apiserver";
}
