using System.Net;
using Conductor.Resources;
using Conductor.Resources.Dispatcher;
using Conductor.Resources.Seam;
using Conductor.Silo.Drift;
using Conductor.Silo.Leadership;
using Conductor.Silo.Tests.Leadership;
using Microsoft.Extensions.Logging.Abstractions;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Conductor.Silo.Tests.Drift;

/// <summary>Arranges drift scenarios on the two real apiservers: deployed objects and receipts on the tenant, signals on management.</summary>
public static class DriftFixtures
{
    public static readonly TimeSpan Cap = TimeSpan.FromSeconds(30);

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static DriftOptions Options(string cluster, string tenantNamespace, int limit = 3) => new()
    {
        ClusterRef = cluster,
        Namespace = tenantNamespace,
        EscalationLimit = limit,
        ResyncPeriod = TimeSpan.FromSeconds(30),
        ManagementKubeconfigPath = "unused-in-tests",
    };

    public static LeaderOnlyWriter Writer(ILeadership? leadership = null) =>
        new(leadership ?? new AlwaysLeader(), NullLogger<LeaderOnlyWriter>.Instance);

    public static TenantDriftReconciler Reconciler(DriftOptions options, IKubernetes tenant, IKubernetes management, TimeProvider time,
        ILeadership? leadership = null)
    {
        var writer = new DriftSignalWriter(management, DriftNames.TenantNamespace(options.ClusterRef), Writer(leadership), time,
            options.EscalationLimit, NullLogger.Instance);
        var packs = new PackDriftCheck(tenant, new Conductor.Discovery.ApiDiscovery(tenant), NullLogger.Instance);
        return new TenantDriftReconciler(options, tenant, packs, writer, NullLogger.Instance);
    }

    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];

    public static Task<V1ConfigMap> CreateConfigMapAsync(IKubernetes client, string @namespace, string name) =>
        client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = @namespace },
            Data = new Dictionary<string, string> { ["k"] = "v" },
        }, @namespace, cancellationToken: Ct);

    public static DeployedResource ConfigMapEntry(string @namespace, string name) =>
        new() { ApiVersion = "v1", Kind = "ConfigMap", Namespace = @namespace, Name = name };

    public static PackReceipt Receipt(string @namespace, string name, params DeployedResource[] deployed) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = @namespace },
        Spec = new PackReceiptSpec { ClusterPackRef = name, TargetClusterRef = "ccs-dev", DeployedResources = deployed },
    };

    public static Task<PackReceipt> CreateReceiptAsync(IKubernetes client, PackReceipt receipt) =>
        client.CustomObjects.CreateNamespacedCustomObjectAsync<PackReceipt>(receipt, SeamApi.Group, SeamApi.Version,
            receipt.Metadata.NamespaceProperty, PackReceipt.Plural, cancellationToken: Ct);

    public static Task<DriftSignal?> ReadSignalAsync(IKubernetes management, string @namespace, string name) =>
        DriftSignalStore.ReadAsync(management, @namespace, name, Ct);

    /// <summary>Stores <paramref name="spec"/> as the signal's spec, creating the signal when absent.</summary>
    public static async Task<DriftSignal> SetSignalAsync(IKubernetes management, string @namespace, string name, DriftSignalSpec spec)
    {
        if (await ReadSignalAsync(management, @namespace, name) is { } existing)
        {
            existing.Spec = spec;
            return await DriftSignalStore.WriteSpecAsync(management, existing, Ct);
        }
        var signal = new DriftSignal { Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = @namespace }, Spec = spec };
        return await management.CustomObjects.CreateNamespacedCustomObjectAsync<DriftSignal>(signal, SeamApi.Group, SeamApi.Version, @namespace,
            DriftSignal.Plural, cancellationToken: Ct);
    }

    /// <summary>Polls the signal until it matches, with a cap; the failure names the last state seen.</summary>
    public static async Task<DriftSignal> WaitSignalAsync(IKubernetes management, string @namespace, string name, Func<DriftSignal, bool> match,
        Func<Task>? between = null)
    {
        var deadline = DateTime.UtcNow + Cap;
        DriftSignal? last = null;
        while (DateTime.UtcNow < deadline)
        {
            last = await ReadSignalAsync(management, @namespace, name);
            if (last is not null && match(last))
            {
                return last;
            }
            if (between is not null)
            {
                await between();
            }
            await Task.Delay(TimeSpan.FromMilliseconds(100), Ct);
        }
        throw new TimeoutException($"DriftSignal {@namespace}/{name} did not reach the expected state within {Cap}; last seen: " +
            (last is null ? "absent" : $"{last.Spec.State} counter {last.Spec.EscalationCounter} correction {last.Spec.CorrectionJobRef}"));
    }

    public static Task<PackExecution> CreatePackExecutionAsync(IKubernetes management, string @namespace, string name) =>
        management.CustomObjects.CreateNamespacedCustomObjectAsync<PackExecution>(new PackExecution
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = @namespace },
            Spec = new PackExecutionSpec { ClusterPackRef = new PackVersionRef { Name = "nginx", Version = "1.0.0" }, TargetClusterRef = "ccs-dev" },
        }, SeamApi.Group, SeamApi.Version, @namespace, PackExecution.Plural, cancellationToken: Ct);

    public static async Task<PackExecution?> ReadPackExecutionAsync(IKubernetes management, string @namespace, string name)
    {
        try
        {
            return await management.CustomObjects.GetNamespacedCustomObjectAsync<PackExecution>(SeamApi.Group, SeamApi.Version, @namespace,
                PackExecution.Plural, name, Ct);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }
}
