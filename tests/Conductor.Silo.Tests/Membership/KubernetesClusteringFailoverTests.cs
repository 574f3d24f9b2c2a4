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
/// Failure detection is the production <see cref="FailoverTuning"/>; the measured times are written as diagnostics.
/// </summary>
[Collection(KubeCollection.Name)]
public sealed class KubernetesClusteringFailoverTests(TestNamespace ns) : IClassFixture<TestNamespace>
{
    private static readonly TimeSpan Cap = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ReactivationCap = TimeSpan.FromSeconds(90);

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

        // The victim is a secondary silo hosting a probe grain.
        var (key, firstHome) = await FindGrainOnSecondaryAsync(cluster);
        var victim = cluster.SecondarySilos.Single(silo => silo.SiloAddress.ToParsableString() == firstHome);
        var stopping = Stopwatch.StartNew();
        SeverableMembershipTable.Sever(victim.SiloAddress);
        await cluster.KillSiloAsync(victim, Cancel);
        // An in-process kill keeps the silo's sockets open until its (ungraceful) stop ends; only then does it look
        // crashed to its peers, so the failure-detection clock starts here.
        var stopped = stopping.Elapsed;
        var clock = Stopwatch.StartNew();

        var rows = await WaitForRowsAsync(configMap, rows => rows.Any(row => row.SiloAddress.Equals(victim.SiloAddress) && row.Status == SiloStatus.Dead),
            $"{victim.SiloAddress} Dead");
        var declaredDead = clock.Elapsed;
        // Tenants reach grains through the federation gateway inside a management silo, so call from a survivor.
        var survivor = (InProcessSiloHandle)cluster.Silos.First(silo => !silo.SiloAddress.Equals(victim.SiloAddress));
        var newHome = await CallUntilAnsweredAsync(survivor.SiloHost.Services.GetRequiredService<IGrainFactory>().GetGrain<IPlacementProbeGrain>(key));
        var reactivated = clock.Elapsed;

        var timings = $"Killed {victim.SiloAddress}; its stop took {stopped.TotalMilliseconds:F0} ms; after that it was declared Dead in " +
            $"{declaredDead.TotalMilliseconds:F0} ms and its grain answered from a survivor in {reactivated.TotalMilliseconds:F0} ms";
        TestContext.Current.SendDiagnosticMessage(timings);
        // Kept beside the test binaries too, one line per run, so repeated runs give a median and a maximum.
        await File.AppendAllTextAsync(Path.Combine(AppContext.BaseDirectory, "failover-timings.txt"), timings + Environment.NewLine, Cancel);
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
            // The production tuning, so the measured times are the ones a management silo would see.
            siloBuilder.UseFailoverTuning();
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

    private static async Task<(long Key, string Home)> FindGrainOnSecondaryAsync(TestCluster cluster)
    {
        var secondaries = cluster.SecondarySilos.Select(silo => silo.SiloAddress.ToParsableString()).ToHashSet();
        for (var key = 0L; key < 100; key++)
        {
            var home = await cluster.Client.GetGrain<IPlacementProbeGrain>(key).WhereAsync();
            if (secondaries.Contains(home))
            {
                return (key, home);
            }
        }
        throw new InvalidOperationException("No probe grain out of 100 was placed on a secondary silo.");
    }

    /// <summary>
    /// Calls the grain every 200 ms until it answers, with a cap. Calls fail while the survivors still route to the dead
    /// silo and while the grain directory holds the dead silo's registrations under lease.
    /// </summary>
    private static async Task<string> CallUntilAnsweredAsync(IPlacementProbeGrain grain)
    {
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(200));
        var deadline = Stopwatch.StartNew();
        var failures = 0;
        Exception? last = null;
        do
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
        while (deadline.Elapsed < ReactivationCap && await poll.WaitForNextTickAsync(Cancel));
        throw new TimeoutException($"The grain did not answer within {ReactivationCap.TotalSeconds} s; {failures} calls failed, the last with: {last}");
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
