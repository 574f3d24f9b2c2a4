using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Conductor.Resources;
using Conductor.Resources.Dispatcher;
using Conductor.Signing;
using Conductor.Silo.Signing;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Orleans.TestingHost;

namespace Conductor.Bench.Custody;

/// <summary>
/// Sign-and-annotate throughput against the real kube-apiserver: N PackDelivery objects are created unsigned, then
/// (baseline) each gets one plain annotation merge PATCH at the same concurrency the signer uses, and (measured) a
/// one-silo signing cluster is started and timed until every object carries a signature for its current spec.
/// </summary>
public static class SigningBench
{
    public static async Task RunAsync(IKubernetes client, int count, int concurrency, TextWriter output)
    {
        var cluster = $"bench{Guid.NewGuid():N}"[..13];
        var ns = SignedArtifactSecret.TenantNamespace(cluster);
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } });
        try
        {
            var names = Enumerable.Range(0, count).Select(i => $"pd-{i}").ToList();
            await ForEachAsync(names, concurrency, name => client.CustomObjects.CreateNamespacedCustomObjectAsync<JsonElement>(new PackDelivery
            {
                Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
                Spec = new PackDeliverySpec
                {
                    Version = "1.0.0", RegistryRef = new RegistryRef { Url = "registry.local/packs/" + name, Digest = "sha256:" + new string('a', 64) },
                    RbacDigest = "sha256:" + new string('b', 64), TargetClusters = [cluster],
                },
            }, SeamApi.Group, SeamApi.Version, ns, PackDelivery.Plural));

            var baseline = Stopwatch.StartNew();
            await ForEachAsync(names, concurrency, name => client.CustomObjects.PatchNamespacedCustomObjectAsync<JsonElement>(
                new V1Patch(new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { ["bench/plain"] = name } } }.ToJsonString(),
                    V1Patch.PatchType.MergePatch), SeamApi.Group, SeamApi.Version, ns, PackDelivery.Plural, name));
            var baselineRate = count / baseline.Elapsed.TotalSeconds;
            output.WriteLine($"sign-and-annotate: {count} PackDelivery objects, concurrency {concurrency}, {client.BaseUri}");
            output.WriteLine($"  baseline plain annotation PATCH               {baselineRate,10:N0} resources/s");

            var signed = Stopwatch.StartNew();
            var silos = await StartSignerAsync(client, ns, concurrency);
            await WaitAllSignedAsync(client, ns, count);
            var signedRate = count / signed.Elapsed.TotalSeconds;

            // Steady state: a key rotation re-signs every object with the silo already running and its watches synced.
            var rotated = Ed25519PrivateKey.Generate();
            var keyFile = silos.Silos[0].ServiceProvider.GetRequiredService<SigningKeyFile>();
            await File.WriteAllTextAsync(KeyPath(silos), rotated.ExportPem());
            var resign = Stopwatch.StartNew();
            keyFile.Reload();
            await WaitAllSignedAsync(client, ns, count, rotated.KeyId);
            var resignRate = count / resign.Elapsed.TotalSeconds;
            await silos.DisposeAsync();

            output.WriteLine($"  signing service (list, sign, guarded PATCH)   {signedRate,10:N0} resources/s (includes silo start and first list)");
            output.WriteLine($"  re-sign after key rotation (steady state)     {resignRate,10:N0} resources/s");
        }
        finally
        {
            try
            {
                await client.CoreV1.DeleteNamespaceAsync(ns);
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
            {
                // Already gone.
            }
        }
    }

    private static string KeyPath(InProcessTestCluster silos) =>
        silos.Silos[0].ServiceProvider.GetRequiredService<Microsoft.Extensions.Options.IOptions<SigningOptions>>().Value.PrivateKeyPath!;

    private static async Task<InProcessTestCluster> StartSignerAsync(IKubernetes client, string ns, int concurrency)
    {
        var keyPath = Path.Combine(Directory.CreateTempSubdirectory("conductor-bench-").FullName, "signing.pem");
        await File.WriteAllTextAsync(keyPath, Ed25519PrivateKey.Generate().ExportPem());
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSiloHost((_, host) =>
        {
            host.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                [SigningOptions.PrivateKeyPathEnvVar] = keyPath,
                [SigningOptions.NamespaceEnvVar] = ns,
                [SigningOptions.ConcurrencyEnvVar] = concurrency.ToString(System.Globalization.CultureInfo.InvariantCulture),
            });
            host.Logging.SetMinimumLevel(LogLevel.Warning);
            host.Logging.AddSimpleConsole();
            host.Services.TryAddSingleton(TimeProvider.System);
            host.Services.AddSingleton(client);
            host.Services.AddManagementSigning(host.Configuration);
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }

    private static async Task WaitAllSignedAsync(IKubernetes client, string ns, int count, string? keyId = null)
    {
        var signed = new HashSet<string>(StringComparer.Ordinal);
        var list = await client.CustomObjects.ListNamespacedCustomObjectAsync<JsonElement>(SeamApi.Group, SeamApi.Version, ns, PackDelivery.Plural);
        foreach (var item in list.GetProperty("items").EnumerateArray())
        {
            Track(signed, item, keyId);
        }
        var version = list.GetProperty("metadata").GetProperty("resourceVersion").GetString();
        var deadline = Stopwatch.StartNew();
        while (signed.Count < count && deadline.Elapsed < TimeSpan.FromMinutes(5))
        {
            // Short server-side watches, resumed from the last version, so no client timeout cuts one off.
            await foreach (var (_, raw) in client.CustomObjects.WatchListNamespacedCustomObjectAsync(SeamApi.Group, SeamApi.Version, ns, PackDelivery.Plural,
                resourceVersion: version, timeoutSeconds: 30))
            {
                var item = raw is JsonElement element ? element : JsonSerializer.SerializeToElement(raw);
                version = item.GetProperty("metadata").GetProperty("resourceVersion").GetString();
                Track(signed, item, keyId);
                if (signed.Count >= count)
                {
                    return;
                }
            }
            Console.Error.WriteLine($"  ... {signed.Count} of {count} signed after {deadline.Elapsed.TotalSeconds:N0} s");
        }
        if (signed.Count < count)
        {
            throw new TimeoutException($"only {signed.Count} of {count} signed");
        }
    }

    private static void Track(HashSet<string> signed, JsonElement item, string? keyId)
    {
        var metadata = item.GetProperty("metadata");
        if (metadata.TryGetProperty("annotations", out var annotations) && annotations.TryGetProperty(SignatureAnnotations.Signature, out var value)
            && (keyId is null || value.GetString()!.StartsWith(keyId + ":", StringComparison.Ordinal)))
        {
            signed.Add(metadata.GetProperty("name").GetString()!);
        }
    }

    private static async Task ForEachAsync(IReadOnlyList<string> names, int concurrency, Func<string, Task> work) =>
        await Parallel.ForEachAsync(names, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (name, _) => await work(name));
}
