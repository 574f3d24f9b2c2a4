using System.Net;
using Conductor.Compiler.Crds;
using Conductor.Resources;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Conductor.TestSupport.Kubernetes;

/// <summary>
/// Installs the CRDs that <c>compiler launch</c> writes, once per process and server, and waits until each is
/// Established. Other test assemblies may install the same CRDs concurrently: create, and on conflict replace
/// guarded by the observed resourceVersion, retrying when someone else wrote in between.
/// </summary>
public static class CrdInstaller
{
    private const int MaxConflictRetries = 10;
    private static readonly TimeSpan EstablishTimeout = TimeSpan.FromSeconds(60);
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static readonly HashSet<string> InstalledServers = new(StringComparer.Ordinal);

    public static async Task EnsureInstalledAsync(IKubernetes client, CancellationToken cancellationToken)
    {
        var server = client.BaseUri.ToString();
        await Gate.WaitAsync(cancellationToken);
        try
        {
            if (InstalledServers.Contains(server))
            {
                return;
            }
            var crds = LaunchBundle();
            foreach (var crd in crds)
            {
                await ApplyAsync(client, crd, cancellationToken);
            }
            foreach (var crd in crds)
            {
                await WaitEstablishedAsync(client, crd.Metadata.Name, cancellationToken);
            }
            InstalledServers.Add(server);
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>The CRDs exactly as <c>compiler launch</c> writes them, parsed back from their YAML.</summary>
    public static IReadOnlyList<V1CustomResourceDefinition> LaunchBundle() =>
        [.. CrdBundle.Build(ResourceKinds.All)
            .Where(file => file.Name != CrdBundle.KustomizationFileName)
            .Select(file => KubernetesYaml.Deserialize<V1CustomResourceDefinition>(file.Content))];

    /// <summary>Creates the CRD, or replaces the existing one at its current resourceVersion.</summary>
    public static async Task ApplyAsync(IKubernetes client, V1CustomResourceDefinition crd, CancellationToken cancellationToken)
    {
        var name = crd.Metadata.Name;
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                crd.Metadata.ResourceVersion = null;
                await client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd, cancellationToken: cancellationToken);
                return;
            }
            catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.Conflict)
            {
                // Exists already (an earlier run or another test assembly): replace it below.
            }

            var existing = await client.ApiextensionsV1.ReadCustomResourceDefinitionAsync(name, cancellationToken: cancellationToken);
            crd.Metadata.ResourceVersion = existing.Metadata.ResourceVersion;
            try
            {
                await client.ApiextensionsV1.ReplaceCustomResourceDefinitionAsync(crd, name, cancellationToken: cancellationToken);
                return;
            }
            catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.Conflict && attempt < MaxConflictRetries)
            {
                // Someone wrote it between our read and replace: read again.
            }
        }
    }

    /// <summary>Waits (capped) until the CRD reports Established, failing early if its names were not accepted.</summary>
    public static async Task WaitEstablishedAsync(IKubernetes client, string name, CancellationToken cancellationToken)
    {
        var current = await client.ApiextensionsV1.ReadCustomResourceDefinitionAsync(name, cancellationToken: cancellationToken);
        if (IsEstablished(current))
        {
            return;
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(EstablishTimeout);
        try
        {
            var events = client.ApiextensionsV1.WatchListCustomResourceDefinitionAsync(
                fieldSelector: $"metadata.name={name}", resourceVersion: current.Metadata.ResourceVersion,
                cancellationToken: timeout.Token);
            await foreach (var (_, crd) in events)
            {
                if (IsEstablished(crd))
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Fall through to the timeout error below.
        }
        throw new TimeoutException($"CRD {name} was not Established within {EstablishTimeout.TotalSeconds} s.");
    }

    private static bool IsEstablished(V1CustomResourceDefinition crd)
    {
        var conditions = crd.Status?.Conditions ?? [];
        if (conditions.FirstOrDefault(c => c.Type == "NamesAccepted") is { Status: "False" } rejected)
        {
            throw new InvalidOperationException($"CRD {crd.Metadata.Name}: names not accepted: {rejected.Message}");
        }
        return conditions.Any(c => c.Type == "Established" && c.Status == "True");
    }
}
