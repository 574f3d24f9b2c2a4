using System.Diagnostics;
using Conductor.Silo.Membership;
using Conductor.TestSupport.Kubernetes;
using k8s;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using k8s.Models;
using Orleans;
using Orleans.Configuration;
using Orleans.Runtime;
using Orleans.TestingHost;

namespace Conductor.Silo.Tests.Membership;

/// <summary>
/// Three in-process silos clustered through the Kubernetes membership table on the real kube-apiserver. One is
/// killed (no graceful shutdown, and its own table writes dropped first, as a crashed process would lose them): the survivors must
/// declare it Dead in the ConfigMap by their votes, and a grain that lived on it must reactivate on a survivor.
/// Failure detection is shortened; the measured times are written as diagnostics.
/// </summary>
[Collection(KubeCollection.Name)]
public sealed class KubernetesClusteringFailoverTests(TestNamespace ns) : IClassFixture<TestNamespace>
{
    private static readonly TimeSpan Cap = TimeSpan.FromSeconds(60);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task KillSilo_ThreeSiloCluster_SurvivorsDeclareDeadAndGrainReactivatesElsewhere()
    {
        var builder = new TestClusterBuilder(3);
        builder.Options.ClusterId = $"failover-{Guid.NewGuid():N}"[..24];
        builder.Options.UseTestClusterMembership = false;
        builder.Properties[KubernetesClusteringConfigurator.NamespaceKey] = ns.Name;
        builder.AddSiloBuilderConfigurator<KubernetesClusteringConfigurator>();
        builder.AddClientBuilderConfigurator<KubernetesClusteringConfigurator>();
        var cluster = builder.Build();
        await using var stop = new ClusterStopper(cluster);
        await cluster.DeployAsync(Cancel);
        var configMap = KubernetesMembershipOptions.ConfigMapName(builder.Options.ClusterId);
        await WaitForRowsAsync(configMap, rows => rows.Count(row => row.Status == SiloStatus.Active) == 3, "3 Active silos");

        // The victim is whichever silo the grain was placed on.
        var grain = cluster.Client.GetGrain<IPlacementProbeGrain>(0);
        var firstHome = await grain.WhereAsync();
        var victim = cluster.Silos.Single(silo => silo.SiloAddress.ToParsableString() == firstHome);
        var clock = Stopwatch.StartNew();
        SeverableMembershipTable.Sever(victim.SiloAddress);
        await cluster.KillSiloAsync(victim, Cancel);
        var killed = clock.Elapsed;

        var rows = await WaitForRowsAsync(configMap, rows => rows.Any(row => row.SiloAddress.Equals(victim.SiloAddress) && row.Status == SiloStatus.Dead),
            $"{victim.SiloAddress} Dead");
        var declaredDead = clock.Elapsed;
        // Tenants reach grains through the federation gateway inside a management silo, so call from a survivor.
        var survivor = (InProcessSiloHandle)cluster.Silos.First(silo => !silo.SiloAddress.Equals(victim.SiloAddress));
        var newHome = await CallUntilAnsweredAsync(survivor.SiloHost.Services.GetRequiredService<IGrainFactory>().GetGrain<IPlacementProbeGrain>(0));
        var reactivated = clock.Elapsed;

        TestContext.Current.SendDiagnosticMessage(
            $"Killed {victim.SiloAddress}; kill returned after {killed.TotalMilliseconds:F0} ms; declared Dead after {declaredDead.TotalMilliseconds:F0} ms; " +
            $"grain reactivated after {reactivated.TotalMilliseconds:F0} ms");
        var dead = rows.Single(row => row.SiloAddress.Equals(victim.SiloAddress));
        var survivors = cluster.Silos.Select(silo => silo.SiloAddress).ToHashSet();
        Assert.NotEmpty(dead.SuspectTimes ?? []);
        Assert.All(dead.SuspectTimes!, vote => Assert.Contains(vote.Item1, survivors));
        Assert.Contains(SiloAddress.FromParsableString(newHome), survivors);
    }

    /// <summary>
    /// Configures silos and the client of the test cluster (TestingHost creates it by type, once per host): Kubernetes
    /// clustering in the test's namespace, through the client built from KUBECONFIG, and fast failure detection.
    /// </summary>
    public sealed class KubernetesClusteringConfigurator : ISiloConfigurator, IClientBuilderConfigurator
    {
        public const string NamespaceKey = "MembershipNamespace";

        public void Configure(ISiloBuilder siloBuilder)
        {
            var @namespace = siloBuilder.Configuration[NamespaceKey]!;
            siloBuilder.UseKubernetesClustering(options => options.Namespace = @namespace);
            siloBuilder.Services.AddSingleton<IMembershipTable>(services => new SeverableMembershipTable(
                services.GetRequiredService<KubernetesMembershipTable>(), services.GetRequiredService<ILocalSiloDetails>()));
            siloBuilder.Configure<ClusterMembershipOptions>(options =>
            {
                options.ProbeTimeout = TimeSpan.FromSeconds(1);
                options.NumMissedProbesLimit = 2;
                options.NumProbedSilos = 2;
                options.NumVotesForDeathDeclaration = 2;
                options.TableRefreshTimeout = TimeSpan.FromSeconds(2);
                options.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(2);
                options.DeathVoteExpirationTimeout = TimeSpan.FromSeconds(10);
            });
        }

        public void Configure(IConfiguration configuration, IClientBuilder clientBuilder)
        {
            var @namespace = configuration[NamespaceKey]!;
            clientBuilder.UseKubernetesClustering(options => options.Namespace = @namespace);
            clientBuilder.Configure<ClientMessagingOptions>(messaging => messaging.ResponseTimeout = TimeSpan.FromSeconds(5));
        }
    }

    /// <summary>Stops whatever is left of the cluster when the test ends, pass or fail.</summary>
    private sealed class ClusterStopper(TestCluster cluster) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await cluster.StopAllSilosAsync();
            await cluster.DisposeAsync();
        }
    }

    /// <summary>Calls the grain until it answers from a live silo, with a cap: calls sent before the death is known fail.</summary>
    private static async Task<string> CallUntilAnsweredAsync(IPlacementProbeGrain grain)
    {
        var deadline = Stopwatch.StartNew();
        var failures = 0;
        Exception? last = null;
        while (deadline.Elapsed < Cap)
        {
            try
            {
                return await grain.WhereAsync();
            }
            catch (Exception ex) when (ex is SiloUnavailableException or TimeoutException or OrleansMessageRejectionException)
            {
                failures++;
                last = ex;
            }
        }
        throw new TimeoutException($"The grain did not answer within {Cap.TotalSeconds} s; {failures} calls failed, the last with: {last}");
    }

    /// <summary>Watches the membership ConfigMap until its rows satisfy <paramref name="condition"/>, with a cap.</summary>
    private async Task<IReadOnlyList<MembershipEntry>> WaitForRowsAsync(string configMap, Func<IReadOnlyList<MembershipEntry>, bool> condition, string what)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
        timeout.CancelAfter(Cap);
        IReadOnlyList<MembershipEntry> last = [];
        try
        {
            var events = ns.Client.CoreV1.WatchListNamespacedConfigMapAsync(
                ns.Name, fieldSelector: $"metadata.name={configMap}", cancellationToken: timeout.Token);
            await foreach (var (_, item) in events)
            {
                last = Rows(item);
                if (condition(last))
                {
                    return last;
                }
            }
        }
        catch (OperationCanceledException) when (!Cancel.IsCancellationRequested)
        {
            // The cap elapsed: report below what was seen.
        }
        throw new TimeoutException($"Membership ConfigMap {ns.Name}/{configMap} did not show {what} within {Cap.TotalSeconds} s; last rows: " +
            string.Join(", ", last.Select(row => $"{row.SiloAddress} {row.Status}")));
    }

    private static List<MembershipEntry> Rows(V1ConfigMap configMap) =>
        [.. (configMap.Data ?? new Dictionary<string, string>())
            .Where(pair => pair.Key != "version")
            .Select(pair => System.Text.Json.JsonSerializer.Deserialize<MembershipRow>(pair.Value)!.ToEntry())];
}
