using Conductor.Grains.Sequencing;
using Conductor.Silo.Sequencing;
using Conductor.TestSupport.Kubernetes;
using k8s;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;
using Orleans.TestingHost;

namespace Conductor.Integration.Tests.Sequencing;

/// <summary>
/// A one-silo Orleans test cluster running the step sequencer against the real kube-apiserver, in the namespace of
/// the test class (passed as <see cref="SequencerOptions.NamespaceEnvVar"/>).
/// </summary>
public static class SequencerSilo
{
    public static async Task<TestCluster> StartAsync(string @namespace)
    {
        var builder = new TestClusterBuilder(1);
        builder.Properties[SequencerOptions.NamespaceEnvVar] = @namespace;
        builder.AddSiloBuilderConfigurator<Configurator>();
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }

    private sealed class Configurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder silo)
        {
            silo.AddMemoryGrainStorageAsDefault();
            var kubeconfig = Environment.GetEnvironmentVariable(KubeFixture.KubeconfigVariable)
                ?? throw new InvalidOperationException($"KUBECONFIG is not set. {KubeFixture.StartHint}");
            silo.Services.AddSingleton<IKubernetes>(_ => new k8s.Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig)));
            silo.Services.AddStepSequencing(silo.Configuration);
        }
    }
}
