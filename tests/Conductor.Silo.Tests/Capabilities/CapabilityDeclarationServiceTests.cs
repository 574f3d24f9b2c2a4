using System.Globalization;
using Conductor.Resources;
using Conductor.Resources.Seam;
using Conductor.Runner.Capabilities;
using Conductor.Silo.Capabilities;
using Conductor.Silo.Leadership;
using Conductor.Silo.Tests.Kubernetes;
using Conductor.Silo.Tests.TestHosting;
using Conductor.TestSupport.Kubernetes;
using Conductor.TestSupport.Logging;
using Conductor.TestSupport.Network;
using Conductor.TestSupport.Processes;
using k8s;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;

namespace Conductor.Silo.Tests.Capabilities;

/// <summary>The capability manifest lands in RunnerConfig status on the real kube-apiserver.</summary>
[Collection(KubeCollection.Name)]
public sealed class CapabilityDeclarationServiceTests(KubeFixture kube, TestNamespace ns) : IClassFixture<TestNamespace>
{
    private static readonly TimeSpan Cap = TimeSpan.FromSeconds(60);
    private readonly TestNamespace _ns = ns;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Declare_RunnerConfigMissingThenCreated_ReportsMissingThenWritesManifest()
    {
        var logs = new RecordingLoggerProvider();
        var cluster = $"cap-{Guid.NewGuid():N}"[..20];
        var settings = AgentServices.FastLease(_ns.Name, cluster, "replica-1");
        await using var agent = AgentServices.Build(kube.Client, logs, settings, services =>
        {
            services.AddLeadership();
            services.AddOptions<CapabilityDeclarationOptions>().Configure(o =>
            {
                o.Namespace = _ns.Name;
                o.RunnerConfigName = cluster;
                o.InitialBackoff = TimeSpan.FromMilliseconds(100);
                o.MaxBackoff = TimeSpan.FromMilliseconds(500);
            });
            services.AddSingleton<CapabilityDeclarationService>();
        });
        await agent.GetRequiredService<LeaseElection>().StartAsync(Ct);
        var service = agent.GetRequiredService<CapabilityDeclarationService>();
        await service.StartAsync(Ct);

        var missing = await logs.WaitForAsync(e => e.EventId.Name == "LogRunnerConfigMissing", Cap);
        var created = await kube.Client.CustomObjects.CreateNamespacedCustomObjectAsync(
            RunnerConfigFor(cluster), SeamApi.Group, SeamApi.Version, _ns.Name, RunnerConfig.Plural, cancellationToken: Ct);
        var (_, declared) = await ResourceWatch.WaitForAsync<RunnerConfig>(kube.Client, _ns.Name, "0",
            (_, rc) => rc.Metadata.Name == cluster && rc.Status?.AgentLeader == "replica-1", Cap, Ct);
        await service.StopAsync(CancellationToken.None);
        await agent.GetRequiredService<LeaseElection>().StopAsync(CancellationToken.None);

        Assert.Contains($"RunnerConfig {_ns.Name}/{cluster} does not exist", missing.Message, StringComparison.Ordinal);
        Assert.Contains("compiler enable", missing.Message, StringComparison.Ordinal);
        AssertManifest(declared, "replica-1");
    }

    [Theory]
    [InlineData("management")]
    [InlineData("tenant")]
    public async Task Main_EitherRole_DeclaresManifestAsLeader(string role)
    {
        var cluster = $"{role[..4]}-{Guid.NewGuid():N}"[..20];
        await kube.Client.CustomObjects.CreateNamespacedCustomObjectAsync(
            RunnerConfigFor(cluster), SeamApi.Group, SeamApi.Version, _ns.Name, RunnerConfig.Plural, cancellationToken: Ct);
        var environment = new Dictionary<string, string?>
        {
            ["CONDUCTOR_ROLE"] = role,
            ["CLUSTER_REF"] = cluster,
            ["POD_NAMESPACE"] = _ns.Name,
            ["POD_NAME"] = $"{cluster}-pod-0",
            ["KUBECONFIG"] = Environment.GetEnvironmentVariable(KubeFixture.KubeconfigVariable),
            ["INTERNAL_PORT"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["SILO_PORT"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["GATEWAY_PORT"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["LEASE_DURATION"] = "3s",
            ["LEASE_RENEW_DEADLINE"] = "2s",
            ["LEASE_RETRY_PERIOD"] = "250ms",
            // The API server is shared: the tenant's sweep must only look at what this test labels (nothing).
            ["SWEEP_NAMESPACE_SELECTOR"] = "conductor.ontai.dev/sweep-nothing=true",
            ["SWEEP_CLUSTER_SCOPED_SELECTOR"] = "conductor.ontai.dev/sweep-nothing=true",
        };
        await using var program = RunningProgram.Start("conductor", [], environment);

        var (_, declared) = await ResourceWatch.WaitForAsync<RunnerConfig>(kube.Client, _ns.Name, "0",
            (_, rc) => rc.Metadata.Name == cluster && rc.Status?.AgentLeader == $"{cluster}-pod-0", Cap, Ct);
        var exit = await program.StopAsync(TimeSpan.FromSeconds(30));

        AssertManifest(declared, $"{cluster}-pod-0");
        Assert.True(exit == 0, program.ToString());
    }

    private static RunnerConfig RunnerConfigFor(string cluster) => new()
    {
        Metadata = new V1ObjectMeta { Name = cluster },
        Spec = new RunnerConfigSpec { ClusterRef = cluster, AgentImage = "registry.example/conductor:v1" },
    };

    private static void AssertManifest(RunnerConfig declared, string leader)
    {
        var names = (declared.Status!.Capabilities ?? []).Select(c => c.Name).ToArray();
        Assert.Equal(CapabilityCatalog.DeclaredNames, names);
        Assert.Equal(leader, declared.Status.AgentLeader);
        Assert.False(string.IsNullOrEmpty(declared.Status.AgentVersion));
        Assert.All(declared.Status.Capabilities ?? [], c =>
        {
            Assert.Equal(CapabilityCatalog.ContractVersion, c.Version);
            Assert.Equal("object", c.Parameters!.Value.GetProperty("type").GetString());
        });
    }

    [Fact]
    public void Build_EveryExecutableCapability_CarriesVersionDescriptionAndJsonSchema()
    {
        var manifest = CapabilityManifest.Build(CapabilityCatalog.ExecutableNames);

        Assert.Equal(CapabilityCatalog.ExecutableNames, manifest.Select(c => c.Name).ToArray());
        Assert.All(manifest, c =>
        {
            var schema = c.Parameters!.Value;
            Assert.Equal(CapabilityCatalog.ContractVersion, c.Version);
            Assert.False(string.IsNullOrEmpty(c.Description));
            Assert.Equal("object", schema.GetProperty("type").GetString());
            Assert.False(schema.GetProperty("additionalProperties").GetBoolean());
        });
        var upgrade = manifest.Single(c => c.Name == CapabilityNames.TalosUpgrade).Parameters!.Value;
        Assert.Equal("targetTalosVersion", upgrade.GetProperty("required")[0].GetString());
    }
}
