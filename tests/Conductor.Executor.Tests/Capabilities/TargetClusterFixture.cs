using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Conductor.Executor.Execution;
using Conductor.Executor.JobEnvironment;
using Conductor.Runner.Results;
using Conductor.Signing;
using Conductor.TestSupport.Kubernetes;
using Conductor.TestSupport.Logging;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Conductor.Executor.Tests.Capabilities;

/// <summary>
/// A management and a tenant kube-apiserver (KUBECONFIG, TENANT_KUBECONFIG) with the Seam CRDs, a cluster name of its
/// own (so <c>seam-tenant-{cluster}</c> on management is this class's), a namespace on the tenant for the objects the
/// capabilities apply, and a management signing key whose public half sits in a trusted-keys directory. Runs the
/// executor in-process through <see cref="JobRun"/> with a Job's environment.
/// </summary>
public sealed class TargetClusterFixture : IAsyncLifetime
{
    private readonly List<Func<Task>> _cleanups = [];

    public string Cluster { get; } = $"t{Guid.NewGuid():N}"[..13];

    /// <summary><c>seam-tenant-{cluster}</c> on management: the resources, and the Jobs' result ConfigMaps.</summary>
    public string ManagementNamespace => SignedArtifactSecret.TenantNamespace(Cluster);

    /// <summary>Where the applied namespaced objects go on the tenant.</summary>
    public string TenantNamespace { get; } = $"conductor-test-{Guid.NewGuid():N}";

    public IKubernetes Management { get; private set; } = null!;
    public IKubernetes Tenant { get; private set; } = null!;
    public string TenantKubeconfig { get; private set; } = "";
    public Ed25519PrivateKey SigningKey { get; } = Ed25519PrivateKey.Generate();
    public string KeysDirectory { get; } = Directory.CreateTempSubdirectory("conductor-keys-").FullName;

    /// <summary>Everything the executor and its capabilities logged, over all the class's runs.</summary>
    public RecordingLoggerProvider Logs { get; } = new();

    public async ValueTask InitializeAsync()
    {
        Management = await KubeFixture.ConnectAsync(KubeFixture.KubeconfigVariable, CancellationToken.None);
        Tenant = await KubeFixture.ConnectAsync(KubeFixture.TenantKubeconfigVariable, CancellationToken.None);
        TenantKubeconfig = Environment.GetEnvironmentVariable(KubeFixture.TenantKubeconfigVariable)!;
        await CrdInstaller.EnsureInstalledAsync(Management, CancellationToken.None);
        await CrdInstaller.EnsureInstalledAsync(Tenant, CancellationToken.None);
        await Management.CoreV1.CreateNamespaceAsync(Namespace(ManagementNamespace));
        await Tenant.CoreV1.CreateNamespaceAsync(Namespace(TenantNamespace));
        await File.WriteAllTextAsync(Path.Combine(KeysDirectory, "management.pem"), SigningKey.PublicKey.ExportPem());
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var cleanup in _cleanups)
        {
            await IgnoreNotFound(cleanup);
        }
        await IgnoreNotFound(() => Management.CoreV1.DeleteNamespaceAsync(ManagementNamespace));
        await IgnoreNotFound(() => Tenant.CoreV1.DeleteNamespaceAsync(TenantNamespace));
        Management?.Dispose();
        Tenant?.Dispose();
        Directory.Delete(KeysDirectory, recursive: true);
    }

    /// <summary>Runs <paramref name="cleanup"/> when the class is done (for cluster-scoped objects and receipts).</summary>
    public void OnDispose(Func<Task> cleanup) => _cleanups.Add(cleanup);

    /// <summary>Creates a custom resource in <see cref="ManagementNamespace"/>; signs its spec as served unless <paramref name="sign"/> is false.</summary>
    public async Task CreateAsync(string group, string plural, string name, JsonObject spec, string kind, bool sign = true)
    {
        var body = new JsonObject
        {
            ["apiVersion"] = $"{group}/v1alpha1",
            ["kind"] = kind,
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ManagementNamespace },
            ["spec"] = spec,
        };
        await Management.CustomObjects.CreateNamespacedCustomObjectAsync(body, group, "v1alpha1", ManagementNamespace, plural);
        if (sign)
        {
            await SignAsync(group, plural, name);
        }
    }

    /// <summary>Signs the spec exactly as the management server serves it, the way the signing grain does.</summary>
    public async Task SignAsync(string group, string plural, string name)
    {
        var served = await Management.CustomObjects.GetNamespacedCustomObjectAsync<JsonElement>(group, "v1alpha1", ManagementNamespace, plural, name);
        var signature = new SpecSigner(SigningKey).Sign(served.GetProperty("spec"));
        await MergePatchAsync(group, plural, name, new JsonObject
        {
            ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [SignatureAnnotations.Signature] = SignatureAnnotations.Format(signature) } },
        });
    }

    public Task MergePatchAsync(string group, string plural, string name, JsonObject patch) =>
        Management.CustomObjects.PatchNamespacedCustomObjectAsync(new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch), group, "v1alpha1",
            ManagementNamespace, plural, name);

    /// <summary>Plays the Job's pod: runs the executor's entry path with the Job's environment and returns the recorded result.</summary>
    public async Task<OperationResult> RunJobAsync(string job, string capability, JsonObject parameters, IReadOnlyDictionary<string, string>? extra = null)
    {
        var environment = new Dictionary<string, string>
        {
            ["CAPABILITY"] = capability,
            ["CLUSTER_REF"] = Cluster,
            ["STEP_NAME"] = "deploy",
            ["STEP_PARAMETERS"] = parameters.ToJsonString(),
            ["RESULT_CONFIGMAP"] = job,
            ["POD_NAMESPACE"] = ManagementNamespace,
            ["TARGET_KUBECONFIG"] = TenantKubeconfig,
            [ExecutorOptions.TrustedKeysDirEnvVar] = KeysDirectory,
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }
        var options = ExecutorOptions.Read(environment.GetValueOrDefault);
        var exit = await new JobRun(options, Management, TimeProvider.System, Logs.CreateLogger<JobRun>()).RunAsync(TestContext.Current.CancellationToken);
        Assert.Equal(0, exit);
        var configMap = await Management.CoreV1.ReadNamespacedConfigMapAsync(job, ManagementNamespace, cancellationToken: TestContext.Current.CancellationToken);
        return OperationResultJson.Deserialize(configMap.Data["result"]);
    }

    /// <summary>A tenant object as served, or null when it does not exist.</summary>
    public async Task<JsonElement?> TenantGetAsync(string group, string version, string plural, string? @namespace, string name)
    {
        try
        {
            return group.Length == 0
                ? await CoreGetAsync(version, plural, @namespace, name)
                : @namespace is null
                    ? await Tenant.CustomObjects.GetClusterCustomObjectAsync<JsonElement>(group, version, plural, name)
                    : await Tenant.CustomObjects.GetNamespacedCustomObjectAsync<JsonElement>(group, version, @namespace, plural, name);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private async Task<JsonElement> CoreGetAsync(string version, string plural, string? @namespace, string name)
    {
        object item = plural switch
        {
            "configmaps" => await Tenant.CoreV1.ReadNamespacedConfigMapAsync(name, @namespace),
            "serviceaccounts" => await Tenant.CoreV1.ReadNamespacedServiceAccountAsync(name, @namespace),
            "namespaces" => await Tenant.CoreV1.ReadNamespaceAsync(name),
            _ => throw new ArgumentException($"no typed read for core {version} {plural} in this fixture", nameof(plural)),
        };
        using var document = JsonDocument.Parse(KubernetesJson.Serialize(item));
        return document.RootElement.Clone();
    }

    private static V1Namespace Namespace(string name) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { [TestNamespace.TestLabel] = "true" } },
    };

    private static async Task IgnoreNotFound(Func<Task> action)
    {
        try
        {
            await action();
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
        }
    }
}
