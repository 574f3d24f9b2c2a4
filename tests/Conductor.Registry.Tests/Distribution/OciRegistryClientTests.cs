using System.Net;
using System.Security.Cryptography;
using System.Text;
using Conductor.Registry.Distribution;
using Conductor.Registry.Packaging;
using Conductor.TestSupport.Registry;

namespace Conductor.Registry.Tests.Distribution;

/// <summary>Our client against the real Debian docker-registry, cross-checked with skopeo.</summary>
public sealed class OciRegistryClientTests(RegistryFixture fixture) : IClassFixture<RegistryFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PushArtifactAsync_MonolithicBlobsAndManifest_SkopeoReadsSameManifest()
    {
        using var client = RegistryFixture.Client();
        var repository = fixture.NewRepository("packs");
        var artifact = PackLayerArtifact.Build("---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: demo\n");
        var tag = repository.WithTag("v1.0.0-rbac");

        var digest = await client.PushArtifactAsync(tag, artifact, Ct);

        Assert.Equal(artifact.Manifest.Digest(), digest);
        var raw = await Skopeo.InspectRawAsync(tag.ToString(), Ct);
        Assert.Equal(artifact.Manifest.ToJson(), raw);
        var byDigest = await Skopeo.InspectRawAsync(repository.WithDigest(digest).ToString(), Ct);
        Assert.Equal(raw, byDigest);
    }

    [Fact]
    public async Task PullArtifactAsync_PushedByTag_ReturnsSameManifestAndLayers()
    {
        using var client = RegistryFixture.Client();
        var repository = fixture.NewRepository("packs");
        const string yaml = "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n";
        var artifact = PackLayerArtifact.Build(yaml);
        var digest = await client.PushArtifactAsync(repository.WithTag("v1-workload"), artifact, Ct);

        var pulled = await client.PullArtifactAsync(repository.WithDigest(digest), Ct);

        Assert.Equal(digest, pulled.Manifest.Digest);
        Assert.Equal(OciMediaTypes.ImageManifest, pulled.Manifest.MediaType);
        Assert.Equal(PackMediaTypes.ArtifactType, pulled.Manifest.Manifest.ArtifactType);
        Assert.Equal(yaml, PackLayerArtifact.ReadManifests(pulled, repository.ToString()));
        var byTag = await client.GetManifestAsync(repository.WithTag("v1-workload"), Ct);
        Assert.Equal(digest, byTag.Digest);
    }

    [Fact]
    public async Task PushBlobAsync_ChunkedLargerThanOneMebibyte_RegistryServesSameBytes()
    {
        var logger = new RecordingLogger<OciRegistryClient>();
        using var client = OciRegistryClient.Create(RegistryFixture.FastOptions(chunkSize: 64 * 1024), null,
            TimeProvider.System, logger);
        var repository = fixture.NewRepository();
        var content = RandomNumberGenerator.GetBytes((1024 * 1024) + 12345);

        var pushed = await client.PushBlobAsync(repository, content, BlobUploadMode.Auto, Ct);

        Assert.True(pushed.Uploaded);
        // docker-registry refuses (416) a PATCH whose Content-Range does not start at the bytes it already holds, so
        // the accepted upload also proves our ranges.
        Assert.Contains(logger.Entries, entry => entry.Message.Contains($"{content.Length} bytes, chunked", StringComparison.Ordinal));
        Assert.Equal(OciDigest.Compute(content), pushed.Digest);
        using var http = new HttpClient();
        var served = await http.GetByteArrayAsync(
            new Uri($"http://{repository.Registry}/v2/{repository.Repository}/blobs/{pushed.Digest}"), Ct);
        Assert.Equal(content, served);
    }

    [Fact]
    public async Task PushBlobAsync_BlobAlreadyPresent_NotUploadedAgain()
    {
        using var client = RegistryFixture.Client();
        var repository = fixture.NewRepository();
        var content = Encoding.UTF8.GetBytes("present once");
        var first = await client.PushBlobAsync(repository, content, BlobUploadMode.Monolithic, Ct);

        var second = await client.PushBlobAsync(repository, content, BlobUploadMode.Monolithic, Ct);

        Assert.True(first.Uploaded);
        Assert.False(second.Uploaded);
        Assert.Equal(first.Digest, second.Digest);
        Assert.True(await client.BlobExistsAsync(repository, first.Digest, Ct));
    }

    [Fact]
    public async Task BlobExistsAsync_UnknownDigest_False()
    {
        using var client = RegistryFixture.Client();

        var exists = await client.BlobExistsAsync(fixture.NewRepository(), OciDigest.Compute("never pushed"u8), Ct);

        Assert.False(exists);
    }

    [Fact]
    public async Task MountBlobAsync_BlobInOtherRepository_LinkedWithoutUpload()
    {
        using var client = RegistryFixture.Client();
        var source = fixture.NewRepository();
        var target = fixture.NewRepository();
        var pushed = await client.PushBlobAsync(source, "shared layer"u8.ToArray(), BlobUploadMode.Monolithic, Ct);

        var mounted = await client.MountBlobAsync(target, pushed.Digest, source.Repository, Ct);

        Assert.True(mounted);
        Assert.True(await client.BlobExistsAsync(target, pushed.Digest, Ct));
    }

    [Fact]
    public async Task PullBlobAsync_StoredBlobTampered_RefusedNamingBothDigests()
    {
        using var client = RegistryFixture.Client();
        var repository = fixture.NewRepository();
        var pushed = await client.PushBlobAsync(repository, "original layer"u8.ToArray(), BlobUploadMode.Monolithic, Ct);
        var hex = pushed.Digest["sha256:".Length..];
        var data = Path.Combine(fixture.Registry.Directory, "storage", "docker", "registry", "v2", "blobs", "sha256",
            hex[..2], hex, "data");
        await File.WriteAllTextAsync(data, "tampered layer", Ct);

        var error = await Assert.ThrowsAsync<RegistryException>(() => client.PullBlobAsync(repository, pushed.Digest, null, Ct));

        Assert.Equal(RegistryFailure.DigestMismatch, error.Failure);
        Assert.Contains(pushed.Digest, error.Message);
        Assert.Contains(OciDigest.Compute("tampered layer"u8), error.Message);
        Assert.Contains(repository.Registry, error.Message);
        Assert.Contains("refusing it", error.Message);
    }

    [Fact]
    public async Task PullArtifactAsync_ManifestDigestNotInRegistry_NotFoundNamesRepository()
    {
        using var client = RegistryFixture.Client();
        var repository = fixture.NewRepository("packs");
        var pushedDigest = await client.PushArtifactAsync(repository.WithTag("v1"), PackLayerArtifact.Build("a: 1\n"), Ct);
        var otherDigest = PackLayerArtifact.Build("a: 2\n").Manifest.Digest();

        var error = await Assert.ThrowsAsync<RegistryException>(
            () => client.PullArtifactAsync(repository.WithDigest(otherDigest), Ct));

        Assert.NotEqual(pushedDigest, otherDigest);
        Assert.Equal(RegistryFailure.NotFound, error.Failure);
        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        Assert.Contains($"repository {repository.Repository}", error.Message);
        Assert.Contains($"registry {repository.Registry}", error.Message);
    }

    [Fact]
    public async Task GetManifestAsync_UnknownRepository_NotFoundNamesRepositoryAndRegistry()
    {
        using var client = RegistryFixture.Client();
        var reference = fixture.NewRepository("missing").WithTag("v1");

        var error = await Assert.ThrowsAsync<RegistryException>(() => client.GetManifestAsync(reference, Ct));

        Assert.Equal(RegistryFailure.NotFound, error.Failure);
        Assert.Equal(1, error.Attempts);
        // docker-registry 2.8 answers an unknown repository's manifest with MANIFEST_UNKNOWN, not NAME_UNKNOWN.
        Assert.Equal("MANIFEST_UNKNOWN", error.ErrorCode);
        Assert.StartsWith(
            $"manifest not found in repository {reference.Repository} on registry {reference.Registry}", error.Message);
        Assert.EndsWith("check the repository name and the tag or digest", error.Message);
    }

    [Fact]
    public async Task PutManifestAsync_LayerBlobNotPushed_RejectedWithRegistryReason()
    {
        using var client = RegistryFixture.Client();
        var reference = fixture.NewRepository().WithTag("v1");
        var manifest = new OciImageManifest(
            OciDescriptor.For(OciMediaTypes.EmptyJson, "{}"u8),
            [OciDescriptor.For(OciMediaTypes.ImageLayerTarGzip, "never pushed"u8)]);

        var error = await Assert.ThrowsAsync<RegistryException>(() => client.PutManifestAsync(reference, manifest, Ct));

        Assert.Equal(RegistryFailure.Rejected, error.Failure);
        Assert.Equal("MANIFEST_BLOB_UNKNOWN", error.ErrorCode);
        Assert.Contains($"registry {reference.Registry} rejected putting manifest {reference}", error.Message);
    }

    [Fact]
    public async Task ListTagsAsync_TwoTagsPushed_BothListed()
    {
        using var client = RegistryFixture.Client();
        var repository = fixture.NewRepository("packs");
        var artifact = PackLayerArtifact.Build("x: 1\n");
        await client.PushArtifactAsync(repository.WithTag("v1-rbac"), artifact, Ct);
        await client.PushArtifactAsync(repository.WithTag("v1-workload"), artifact, Ct);

        var tags = await client.ListTagsAsync(repository, Ct);

        Assert.Equal(["v1-rbac", "v1-workload"], tags.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task PushBlobAsync_ReadOnlyRegistry_RejectedNamingRegistryAndRule()
    {
        await using var registry = await DockerRegistryProcess.StartAsync(RegistryAuth.None, readOnly: true, Ct);
        using var client = RegistryFixture.Client();
        var repository = OciReference.ForRepository(registry.Address, "packs/readonly");

        var error = await Assert.ThrowsAsync<RegistryException>(
            () => client.PushBlobAsync(repository, "x"u8.ToArray(), BlobUploadMode.Monolithic, Ct));

        Assert.Equal(RegistryFailure.Rejected, error.Failure);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, error.StatusCode);
        Assert.Contains($"registry {registry.Address} rejected starting the upload", error.Message);
        Assert.Contains("read-only mode", error.Message);
    }

    [Fact]
    public async Task PushArtifactAsync_PackLayer_SkopeoCopiesSameLayerBytes()
    {
        using var client = RegistryFixture.Client();
        var reference = fixture.NewRepository("packs").WithTag("v2-rbac");
        const string yaml = "kind: Role\n";
        var artifact = PackLayerArtifact.Build(yaml);
        await client.PushArtifactAsync(reference, artifact, Ct);
        var directory = Path.Combine(fixture.Registry.Directory, "skopeo-" + Guid.NewGuid().ToString("N"));

        await Skopeo.CopyAsync("docker://" + reference, "dir:" + directory, Ct);

        var layer = artifact.Manifest.Layers[0];
        var copied = await File.ReadAllBytesAsync(Path.Combine(directory, layer.Digest["sha256:".Length..]), Ct);
        Assert.Equal(artifact.Blobs[layer.Digest].ToArray(), copied);
        Assert.Equal(yaml, Encoding.UTF8.GetString(LayerPackager.Unpack(copied, "skopeo copy").Single().Content.Span));
    }

    [Fact]
    public async Task PullArtifactAsync_PushedBySkopeo_ReadsLayers()
    {
        using var client = RegistryFixture.Client();
        var reference = fixture.NewRepository("packs").WithTag("v3-workload");
        const string yaml = "kind: Deployment\n";
        var artifact = PackLayerArtifact.Build(yaml);
        var directory = Path.Combine(fixture.Registry.Directory, "skopeo-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        await File.WriteAllTextAsync(Path.Combine(directory, "version"), "Directory Transport Version: 1.1\n", Ct);
        await File.WriteAllBytesAsync(Path.Combine(directory, "manifest.json"), artifact.Manifest.ToJson(), Ct);
        foreach (var (digest, content) in artifact.Blobs)
        {
            await File.WriteAllBytesAsync(Path.Combine(directory, digest["sha256:".Length..]), content.ToArray(), Ct);
        }

        await Skopeo.CopyAsync("dir:" + directory, "docker://" + reference, Ct);
        var pulled = await client.PullArtifactAsync(reference, Ct);

        Assert.Equal(yaml, PackLayerArtifact.ReadManifests(pulled, reference.ToString()));
    }
}
