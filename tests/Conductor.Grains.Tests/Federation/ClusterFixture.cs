using Conductor.Grains.Federation;
using Conductor.TestSupport.Kubernetes;
using k8s;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;

namespace Conductor.Grains.Tests.Federation;

/// <summary>
/// An in-process Orleans test cluster running the federation grains against the real kube-apiserver, in a
/// namespace of its own, with a <see cref="FakeTimeProvider"/> that drives the session grain's heartbeat timer.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public static readonly TimeSpan HeartBeat = TimeSpan.FromSeconds(30);

    // Silo configurators are created by type, so what they share with the tests is static.
    private static FakeTimeProvider s_time = new();
    private static IKubernetes? s_kube;
    private static string s_namespace = "";

    public TestCluster Cluster { get; private set; } = null!;

    public FakeTimeProvider Time => s_time;

    public IKubernetes Kube => s_kube!;

    public string Namespace => s_namespace;

    /// <summary>The silo's services (its meter factory, for metrics read through a listener).</summary>
    public IServiceProvider SiloServices => ((InProcessSiloHandle)Cluster.Primary!).SiloHost!.Services;

    public async ValueTask InitializeAsync()
    {
        s_time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        s_kube = await KubeFixture.ConnectAsync(KubeFixture.KubeconfigVariable, CancellationToken.None);
        await CrdInstaller.EnsureInstalledAsync(s_kube, CancellationToken.None);
        s_namespace = $"conductor-test-{Guid.NewGuid():N}";
        await s_kube.CoreV1.CreateNamespaceAsync(new V1Namespace
        {
            Metadata = new V1ObjectMeta { Name = s_namespace, Labels = new Dictionary<string, string> { [TestNamespace.TestLabel] = "true" } },
        });
        var builder = new TestClusterBuilder(1);
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
        await s_kube!.CoreV1.DeleteNamespaceAsync(s_namespace);
        s_kube.Dispose();
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder) => siloBuilder.ConfigureServices(services =>
        {
            services.AddSingleton<TimeProvider>(s_time);
            services.AddSingleton(s_kube!);
            services.AddFederationGrains();
            services.Configure<FederationGrainOptions>(o =>
            {
                o.HeartBeatInterval = HeartBeat;
                o.StoreNamespace = s_namespace;
                o.RunnerConfigNamespace = s_namespace;
                o.TenantNamespace = s_namespace;
                o.TalosClusterNamespace = s_namespace;
            });
        });
    }
}

/// <summary>Grain tests share one test cluster.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "federation-grains";
}
