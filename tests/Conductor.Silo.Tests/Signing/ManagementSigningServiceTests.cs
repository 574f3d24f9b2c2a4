using System.Diagnostics.Metrics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Conductor.Observability;
using Conductor.Signing;
using Conductor.Silo.Tests.Kubernetes;
using Conductor.TestSupport.Kubernetes;
using k8s;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using Conductor.TestSupport.Observability;

namespace Conductor.Silo.Tests.Signing;

/// <summary>
/// Management signing end to end: real Orleans silos running the signing service against the real kube-apiserver.
/// Each test uses fresh object names in the class's <c>seam-tenant-{cluster}</c> namespace.
/// </summary>
[Collection(KubeCollection.Name)]
public sealed class ManagementSigningServiceTests(ManagementTenantNamespace ns) : IClassFixture<ManagementTenantNamespace>
{
    private static readonly Ed25519PrivateKey KeyA = Ed25519PrivateKey.Generate();
    private static readonly Ed25519PrivateKey KeyB = Ed25519PrivateKey.Generate();
    private static readonly SpecVerifier Verifier = new(new TrustedKeySet([KeyA.PublicKey, KeyB.PublicKey]));

    [Theory]
    [InlineData(SignedKind.PackInstalled)]
    [InlineData(SignedKind.PackDelivery)]
    [InlineData(SignedKind.PermissionSnapshot)]
    public async Task Start_ResourceCreated_SignedWithKeyIdAndSpecHash(SignedKind kind)
    {
        await using var silos = await SigningSilos.StartAsync(ns.Client, ns.Name, KeyA);
        var name = NewName();

        var created = await SignedObjects.CreateAsync(ns.Client, kind, ns.Name, name, ns.Cluster);
        var signed = await SignedObjects.WaitSignedAsync(ns.Client, kind, ns.Name, name, SignedObjects.ResourceVersion(created), Verifier);

        Assert.Equal(KeyA.KeyId, SignedObjects.Verify(signed, Verifier).KeyId);
        Assert.Equal(Sha256(signed.GetProperty("spec")), SignedObjects.Annotation(signed, SignatureAnnotations.SpecHash));
    }

    [Fact]
    public async Task Start_PackInstalledSigned_ArtifactSecretHoldsCanonicalSpecAndSignature()
    {
        await using var silos = await SigningSilos.StartAsync(ns.Client, ns.Name, KeyA);
        var name = NewName();

        var created = await SignedObjects.CreateAsync(ns.Client, SignedKind.PackInstalled, ns.Name, name, ns.Cluster);
        var signed = await SignedObjects.WaitSignedAsync(ns.Client, SignedKind.PackInstalled, ns.Name, name, SignedObjects.ResourceVersion(created), Verifier);
        var secret = await WaitForSecretAsync(SignedArtifactSecret.Name(ns.Cluster, name), s => s.Data is not null);

        SignatureAnnotations.TryParse(SignedObjects.Annotation(signed, SignatureAnnotations.Signature), out var signature);
        Assert.Equal(JsonCanonicalizer.Canonicalize(signed.GetProperty("spec")), secret.Data[SignedArtifactSecret.ArtifactKey]);
        Assert.Equal(signature!.Signature, Convert.ToBase64String(secret.Data[SignedArtifactSecret.SignatureKey]));
        Assert.Equal(KeyA.KeyId, Encoding.UTF8.GetString(secret.Data[SignedArtifactSecret.KeyIdKey]));
        Assert.True(KeyA.PublicKey.Verify(secret.Data[SignedArtifactSecret.ArtifactKey], secret.Data[SignedArtifactSecret.SignatureKey]));
        Assert.Equal(ns.Cluster, secret.Metadata.Labels[SignedArtifactSecret.ClusterLabel]);
    }

    [Fact]
    public async Task Watch_SpecChanged_ResignedAndArtifactReplaced()
    {
        await using var silos = await SigningSilos.StartAsync(ns.Client, ns.Name, KeyA);
        var name = NewName();
        var created = await SignedObjects.CreateAsync(ns.Client, SignedKind.PackInstalled, ns.Name, name, ns.Cluster);
        var first = await SignedObjects.WaitSignedAsync(ns.Client, SignedKind.PackInstalled, ns.Name, name, SignedObjects.ResourceVersion(created), Verifier);

        var changed = await SignedObjects.PatchAsync(ns.Client, SignedKind.PackInstalled, ns.Name, name,
            new JsonObject { ["spec"] = new JsonObject { ["version"] = "1.2.4" } });
        var second = await SignedObjects.WaitSignedAsync(ns.Client, SignedKind.PackInstalled, ns.Name, name, SignedObjects.ResourceVersion(changed), Verifier);
        var secret = await WaitForSecretAsync(SignedArtifactSecret.Name(ns.Cluster, name),
            s => s.Data?[SignedArtifactSecret.SpecHashKey] is { } hash && Encoding.UTF8.GetString(hash) == SignedObjects.Annotation(second, SignatureAnnotations.SpecHash));

        Assert.NotEqual(SignedObjects.Annotation(first, SignatureAnnotations.Signature), SignedObjects.Annotation(second, SignatureAnnotations.Signature));
        Assert.Equal("1.2.4", second.GetProperty("spec").GetProperty("version").GetString());
        Assert.Equal(JsonCanonicalizer.Canonicalize(second.GetProperty("spec")), secret.Data[SignedArtifactSecret.ArtifactKey]);
    }

    [Fact]
    public async Task Start_PackDeliveryAndSnapshotSigned_StatusShowsSignatureAndSignaturesMetricCounts()
    {
        await using var silos = await SigningSilos.StartAsync(ns.Client, ns.Name, KeyA);
        var scope = silos.Cluster.Silos[0].ServiceProvider.GetRequiredService<IMeterFactory>();
        using var meter = new ConductorMeterReader(scope);
        var delivery = NewName();
        var snapshot = NewName();

        var createdDelivery = await SignedObjects.CreateAsync(ns.Client, SignedKind.PackDelivery, ns.Name, delivery, ns.Cluster);
        var createdSnapshot = await SignedObjects.CreateAsync(ns.Client, SignedKind.PermissionSnapshot, ns.Name, snapshot, ns.Cluster);
        var signedDelivery = await SignedObjects.WaitSignedAsync(ns.Client, SignedKind.PackDelivery, ns.Name, delivery,
            SignedObjects.ResourceVersion(createdDelivery), Verifier);
        var signedSnapshot = await SignedObjects.WaitSignedAsync(ns.Client, SignedKind.PermissionSnapshot, ns.Name, snapshot,
            SignedObjects.ResourceVersion(createdSnapshot), Verifier);
        var signatures = meter.Read("conductor.signatures");

        SignatureAnnotations.TryParse(SignedObjects.Annotation(signedDelivery, SignatureAnnotations.Signature), out var signature);
        Assert.True(SignedObjects.Status(signedDelivery, "signed")?.GetBoolean());
        Assert.Equal(signature!.Signature, SignedObjects.Status(signedDelivery, "packSignature")?.GetString());
        Assert.True(SignedObjects.Status(signedSnapshot, "signed")?.GetBoolean());
        // At least these two; objects an earlier test of this class left signed by another key are re-signed too.
        Assert.True(signatures >= 2, $"signatures metric {signatures}, expected at least 2");
    }

    [Fact]
    public async Task SignAsync_AlreadySignedAndOnlyLabelsChanged_WritesNothing()
    {
        await using var silos = await SigningSilos.StartAsync(ns.Client, ns.Name, KeyA);
        var name = NewName();
        var created = await SignedObjects.CreateAsync(ns.Client, SignedKind.PermissionSnapshot, ns.Name, name, ns.Cluster);
        await SignedObjects.WaitSignedAsync(ns.Client, SignedKind.PermissionSnapshot, ns.Name, name, SignedObjects.ResourceVersion(created), Verifier);

        var labelled = await SignedObjects.PatchAsync(ns.Client, SignedKind.PermissionSnapshot, ns.Name, name,
            new JsonObject { ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["touched"] = "yes" } } });
        var outcome = await silos.Grain(SignedKind.PermissionSnapshot, ns.Name, name).SignAsync(Request(SignedKind.PermissionSnapshot, name, labelled));
        var after = await SignedObjects.ReadAsync(ns.Client, SignedKind.PermissionSnapshot, ns.Name, name);

        Assert.Equal(SigningAction.Unchanged, outcome.Action);
        Assert.Equal(SignedObjects.ResourceVersion(labelled), SignedObjects.ResourceVersion(after));
    }

    [Fact]
    public async Task SignAsync_StaleObservation_ConflictRereadsAndDoesNotRewrite()
    {
        await using var silos = await SigningSilos.StartAsync(ns.Client, ns.Name, KeyA);
        var name = NewName();
        var created = await SignedObjects.CreateAsync(ns.Client, SignedKind.PackDelivery, ns.Name, name, ns.Cluster);
        var signed = await SignedObjects.WaitSignedAsync(ns.Client, SignedKind.PackDelivery, ns.Name, name, SignedObjects.ResourceVersion(created), Verifier);

        // The observation from before signing, as a lagging watch on another silo would deliver it.
        var outcome = await silos.Grain(SignedKind.PackDelivery, ns.Name, name).SignAsync(Request(SignedKind.PackDelivery, name, created));
        var after = await SignedObjects.ReadAsync(ns.Client, SignedKind.PackDelivery, ns.Name, name);

        Assert.Contains(outcome.Action, new[] { SigningAction.Superseded, SigningAction.Unchanged });
        Assert.Equal(SignedObjects.ResourceVersion(signed), SignedObjects.ResourceVersion(after));
    }

    [Fact]
    public async Task Watch_SignatureAnnotationRemoved_Restored()
    {
        await using var silos = await SigningSilos.StartAsync(ns.Client, ns.Name, KeyA);
        var name = NewName();
        var created = await SignedObjects.CreateAsync(ns.Client, SignedKind.PackDelivery, ns.Name, name, ns.Cluster);
        var signed = await SignedObjects.WaitSignedAsync(ns.Client, SignedKind.PackDelivery, ns.Name, name, SignedObjects.ResourceVersion(created), Verifier);

        var stripped = await SignedObjects.PatchAsync(ns.Client, SignedKind.PackDelivery, ns.Name, name, new JsonObject
        {
            ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [SignatureAnnotations.Signature] = null } },
        });
        var restored = await SignedObjects.WaitSignedAsync(ns.Client, SignedKind.PackDelivery, ns.Name, name, SignedObjects.ResourceVersion(stripped), Verifier);

        Assert.Equal(SignedObjects.Annotation(signed, SignatureAnnotations.Signature), SignedObjects.Annotation(restored, SignatureAnnotations.Signature));
    }

    [Fact]
    public async Task Watch_ArtifactSecretDeleted_Recreated()
    {
        await using var silos = await SigningSilos.StartAsync(ns.Client, ns.Name, KeyA);
        var name = NewName();
        var secretName = SignedArtifactSecret.Name(ns.Cluster, name);
        var created = await SignedObjects.CreateAsync(ns.Client, SignedKind.PackInstalled, ns.Name, name, ns.Cluster);
        await SignedObjects.WaitSignedAsync(ns.Client, SignedKind.PackInstalled, ns.Name, name, SignedObjects.ResourceVersion(created), Verifier);
        var first = await WaitForSecretAsync(secretName, s => s.Data is not null);

        await ns.Client.CoreV1.DeleteNamespacedSecretAsync(secretName, ns.Name, cancellationToken: TestContext.Current.CancellationToken);
        var second = await WaitForSecretAsync(secretName, s => s.Metadata.Uid != first.Metadata.Uid);

        Assert.Equal(first.Data[SignedArtifactSecret.ArtifactKey], second.Data[SignedArtifactSecret.ArtifactKey]);
        Assert.Equal(first.Data[SignedArtifactSecret.SignatureKey], second.Data[SignedArtifactSecret.SignatureKey]);
    }

    [Fact]
    public async Task Rotate_KeyFileReplaced_EverythingResignedWithNewKeyId()
    {
        await using var silos = await SigningSilos.StartAsync(ns.Client, ns.Name, KeyA);
        var names = Enumerable.Range(0, 3).Select(_ => NewName()).ToList();
        var kinds = new[] { SignedKind.PackInstalled, SignedKind.PackDelivery, SignedKind.PermissionSnapshot };
        var versions = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var created = await SignedObjects.CreateAsync(ns.Client, kinds[i], ns.Name, names[i], ns.Cluster);
            var signed = await SignedObjects.WaitSignedAsync(ns.Client, kinds[i], ns.Name, names[i], SignedObjects.ResourceVersion(created), Verifier, KeyA.KeyId);
            versions.Add(SignedObjects.ResourceVersion(signed));
        }

        await silos.RotateAsync(KeyB);

        for (var i = 0; i < 3; i++)
        {
            var resigned = await SignedObjects.WaitSignedAsync(ns.Client, kinds[i], ns.Name, names[i], versions[i], Verifier, KeyB.KeyId);
            Assert.Equal(KeyB.KeyId, SignedObjects.Verify(resigned, Verifier).KeyId);
        }
        await WaitForSecretAsync(SignedArtifactSecret.Name(ns.Cluster, names[0]),
            s => s.Data?[SignedArtifactSecret.KeyIdKey] is { } id && Encoding.UTF8.GetString(id) == KeyB.KeyId);
    }

    [Fact]
    public async Task TwoSilos_ManyResources_EachSignedExactlyOnceByOneActivation()
    {
        const int Count = 24;
        await using var silos = await SigningSilos.StartAsync(ns.Client, ns.Name, KeyA, silos: 2);
        Assert.Equal(2, silos.Cluster.Silos.Count);
        var start = await ns.Client.CoreV1.ListNamespacedSecretAsync(ns.Name, limit: 1, cancellationToken: TestContext.Current.CancellationToken);
        var names = Enumerable.Range(0, Count).Select(i => $"{NewName()}-{i}").ToList();
        var kinds = names.Select((_, i) => (SignedKind)(i % 3)).ToList();
        var createdVersions = new List<string>();
        for (var i = 0; i < Count; i++)
        {
            createdVersions.Add(SignedObjects.ResourceVersion(await SignedObjects.CreateAsync(ns.Client, kinds[i], ns.Name, names[i], ns.Cluster)));
        }
        for (var i = 0; i < Count; i++)
        {
            await SignedObjects.WaitSignedAsync(ns.Client, kinds[i], ns.Name, names[i], createdVersions[i], Verifier);
        }
        // A label change on every object makes both silos deliver one more event each; nothing may be rewritten.
        for (var i = 0; i < Count; i++)
        {
            await SignedObjects.PatchAsync(ns.Client, kinds[i], ns.Name, names[i],
                new JsonObject { ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["poke"] = "1" } } });
        }
        var activations = await ActivationsAsync(silos, names);
        await silos.StopAsync();

        for (var i = 0; i < Count; i++)
        {
            var writes = await SignatureWritesAsync(kinds[i], names[i], start.Metadata.ResourceVersion);
            Assert.True(writes == 1, $"{kinds[i]} {names[i]}: {writes} signature writes, expected exactly 1");
        }
        Assert.All(activations, a => Assert.Equal(1, a.Value));
        Assert.Equal(Count, activations.Count);
    }

    /// <summary>How many times the signature annotation changed, reading every event since <paramref name="fromVersion"/>.</summary>
    private async Task<int> SignatureWritesAsync(SignedKind kind, string name, string fromVersion)
    {
        var current = await SignedObjects.ReadAsync(ns.Client, kind, ns.Name, name);
        var last = SignedObjects.ResourceVersion(current);
        var writes = 0;
        string? previous = null;
        await SignedObjects.WaitForAsync(ns.Client, kind, ns.Name, name, fromVersion, item =>
        {
            var signature = SignedObjects.Annotation(item, SignatureAnnotations.Signature);
            if (signature != previous)
            {
                writes++;
                previous = signature;
            }
            return SignedObjects.ResourceVersion(item) == last;
        });
        return writes;
    }

    private static async Task<Dictionary<string, int>> ActivationsAsync(SigningSilos silos, IReadOnlyList<string> names)
    {
        var management = silos.Cluster.Client.GetGrain<IManagementGrain>(0);
        var statistics = await management.GetDetailedGrainStatistics();
        return statistics
            .Select(s => s.GrainId.Key.ToString() ?? "")
            .Where(key => names.Any(name => key.EndsWith("/" + name, StringComparison.Ordinal)))
            .GroupBy(key => key)
            .ToDictionary(g => g.Key, g => g.Count());
    }

    private async Task<V1Secret> WaitForSecretAsync(string name, Func<V1Secret, bool> match)
    {
        using var timeout = new CancellationTokenSource(SignedObjects.Cap);
        var list = await ns.Client.CoreV1.ListNamespacedSecretAsync(ns.Name, fieldSelector: $"metadata.name={name}");
        if (list.Items.FirstOrDefault() is { } existing && match(existing))
        {
            return existing;
        }
        try
        {
            await foreach (var (type, secret) in ns.Client.CoreV1.WatchListNamespacedSecretAsync(ns.Name, fieldSelector: $"metadata.name={name}",
                resourceVersion: list.Metadata.ResourceVersion, cancellationToken: timeout.Token))
            {
                if (type != WatchEventType.Deleted && match(secret))
                {
                    return secret;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Reported below.
        }
        throw new TimeoutException($"Secret {ns.Name}/{name} did not match within {SignedObjects.Cap.TotalSeconds} s");
    }

    private SigningRequest Request(SignedKind kind, string name, JsonElement observed) => new()
    {
        Kind = kind,
        Namespace = ns.Name,
        Name = name,
        ResourceVersion = SignedObjects.ResourceVersion(observed),
        SpecJson = observed.GetProperty("spec").GetRawText(),
        SignatureAnnotation = SignedObjects.Annotation(observed, SignatureAnnotations.Signature),
        SpecHashAnnotation = SignedObjects.Annotation(observed, SignatureAnnotations.SpecHash),
        StatusSigned = SignedObjects.Status(observed, "signed")?.GetBoolean(),
        StatusPackSignature = SignedObjects.Status(observed, "packSignature")?.GetString(),
    };

    private static string Sha256(JsonElement spec) => Convert.ToHexStringLower(SHA256.HashData(JsonCanonicalizer.Canonicalize(spec)));

    private static string NewName() => $"r{Guid.NewGuid():N}"[..12];
}
