using Conductor.TestSupport.Kubernetes;

namespace Conductor.Integration.Tests.Sequencing;

/// <summary>Sequencer scenarios share the real kube-apiserver; they run one at a time, with the Seam CRDs installed once.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SequencerCollection : ICollectionFixture<KubeFixture>
{
    public const string Name = "sequencer-kube-apiserver";
}
