using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Conductor.Registry.Auth;
using Conductor.Registry.Retry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Conductor.Registry.Distribution;

/// <summary>
/// An OCI distribution client: blobs (HEAD, monolithic and chunked upload, cross-repository mount, verified pull),
/// manifests (PUT and GET by tag or digest) and tag lists. Every failure is a <see cref="RegistryException"/> naming
/// the registry, the repository, the operation and the fix.
/// </summary>
public sealed partial class OciRegistryClient : IDisposable
{
    private static readonly string[] ManifestAccept =
        [OciMediaTypes.ImageManifest, OciMediaTypes.DockerManifestV2, OciMediaTypes.ImageIndex];

    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly OciRegistryOptions _options;
    private readonly RegistryTransport _transport;
    private readonly ILogger _logger;

    /// <summary>Creates a client over <paramref name="http"/>, which the caller owns.</summary>
    public OciRegistryClient(HttpClient http, OciRegistryOptions options, IRegistryCredentialProvider? credentials,
        TimeProvider timeProvider, ILogger<OciRegistryClient> logger)
        : this(http, ownsHttp: false, options, credentials, timeProvider, logger)
    {
    }

    private OciRegistryClient(HttpClient http, bool ownsHttp, OciRegistryOptions options,
        IRegistryCredentialProvider? credentials, TimeProvider timeProvider, ILogger logger)
    {
        var validation = new OciRegistryOptionsValidator().Validate(null, options);
        if (validation.Failed)
        {
            throw new ArgumentException(validation.FailureMessage, nameof(options));
        }

        _http = http;
        _ownsHttp = ownsHttp;
        _options = options;
        _logger = logger;
        var retry = new RetryPolicy(options.MaxAttempts, options.InitialRetryDelay, options.MaxRetryDelay, timeProvider);
        _transport = new RegistryTransport(http, options, credentials, retry, timeProvider, logger);
    }

    /// <summary>
    /// Creates a client with its own <see cref="HttpClient"/>, trusting <see cref="OciRegistryOptions.CaCertificateFile"/>
    /// (when set) instead of the system store for https registries.
    /// </summary>
    public static OciRegistryClient Create(OciRegistryOptions options, IRegistryCredentialProvider? credentials = null,
        TimeProvider? timeProvider = null, ILogger<OciRegistryClient>? logger = null)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = true,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            AutomaticDecompression = DecompressionMethods.None,
        };
        if (!string.IsNullOrEmpty(options.CaCertificateFile))
        {
            var roots = new X509Certificate2Collection();
            roots.ImportFromPemFile(options.CaCertificateFile);
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                ChainsToCustomRoots(certificate, errors, roots);
        }

        // Timeouts are per attempt (OciRegistryOptions.RequestTimeout), so the HttpClient's own is off.
        var http = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        return new OciRegistryClient(http, ownsHttp: true, options, credentials, timeProvider ?? TimeProvider.System,
            (ILogger?)logger ?? NullLogger.Instance);
    }

    /// <summary>How many bearer tokens this client fetched (each scope set is fetched once while it is valid).</summary>
    internal int TokensFetched => _transport.Authenticator.TokensFetched;

    /// <summary>True when the repository holds blob <paramref name="digest"/> (HEAD 200), false on 404.</summary>
    public async Task<bool> BlobExistsAsync(OciReference repository, string digest, CancellationToken cancellationToken = default)
    {
        OciDigest.Validate(digest, "blob digest");
        var call = Call(repository, $"checking blob {digest} in {repository.Repository}", push: false,
            () => new HttpRequestMessage(HttpMethod.Head, BlobUri(repository, digest)));
        using var response = await _transport.SendAsync(call, cancellationToken);
        return response.Message.StatusCode switch
        {
            HttpStatusCode.OK => true,
            HttpStatusCode.NotFound => false,
            _ => throw await FailAsync(call, response, cancellationToken),
        };
    }

    /// <summary>
    /// Pushes <paramref name="content"/> as a blob unless the repository already has it (HEAD first). Returns its
    /// digest and size, and whether bytes were uploaded.
    /// </summary>
    public async Task<BlobPushResult> PushBlobAsync(OciReference repository, ReadOnlyMemory<byte> content,
        BlobUploadMode mode = BlobUploadMode.Auto, CancellationToken cancellationToken = default)
    {
        var digest = OciDigest.Compute(content.Span);
        if (await BlobExistsAsync(repository, digest, cancellationToken))
        {
            LogBlobPresent(_logger, repository.Registry, repository.Repository, digest);
            return new BlobPushResult(digest, content.Length, Uploaded: false);
        }

        var chunked = mode == BlobUploadMode.Chunked || (mode == BlobUploadMode.Auto && content.Length > _options.ChunkSize);
        LogPushingBlob(_logger, repository.Registry, repository.Repository, digest, content.Length,
            chunked ? "chunked" : "monolithic");
        var location = await StartUploadAsync(repository, digest, cancellationToken);
        if (chunked)
        {
            for (var offset = 0; offset < content.Length; offset += _options.ChunkSize)
            {
                var chunk = content.Slice(offset, Math.Min(_options.ChunkSize, content.Length - offset));
                location = await PatchChunkAsync(repository, digest, location, chunk, offset, cancellationToken);
            }

            await CommitUploadAsync(repository, digest, location, ReadOnlyMemory<byte>.Empty, cancellationToken);
        }
        else
        {
            await CommitUploadAsync(repository, digest, location, content, cancellationToken);
        }

        return new BlobPushResult(digest, content.Length, Uploaded: true);
    }

    /// <summary>
    /// Asks the registry to link blob <paramref name="digest"/> from <paramref name="fromRepository"/> into
    /// <paramref name="target"/> without uploading it. Returns false when the registry declined (then push it).
    /// </summary>
    public async Task<bool> MountBlobAsync(OciReference target, string digest, string fromRepository,
        CancellationToken cancellationToken = default)
    {
        OciDigest.Validate(digest, "blob digest");
        var from = OciReference.ForRepository(target.Registry, fromRepository);
        var uri = new Uri(RepositoryUri(target), "blobs/uploads/?mount=" + Uri.EscapeDataString(digest) + "&from=" +
                                                   Uri.EscapeDataString(from.Repository));
        var call = new RegistryCall(target.Registry, target.Repository,
            $"mounting blob {digest} from {from.Repository} into {target.Repository}",
            [RegistryScope.Push(target.Repository), RegistryScope.Pull(from.Repository)],
            () => new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ByteArrayContent([]) });
        using var response = await _transport.SendAsync(call, cancellationToken);
        return response.Message.StatusCode switch
        {
            HttpStatusCode.Created => true,
            HttpStatusCode.Accepted => false,
            _ => throw await FailAsync(call, response, cancellationToken),
        };
    }

    /// <summary>
    /// Reads blob <paramref name="digest"/> and verifies it hashes to that digest (and has
    /// <paramref name="expectedSize"/> bytes when given). A mismatch is refused with both digests in the message.
    /// </summary>
    public async Task<byte[]> PullBlobAsync(OciReference repository, string digest, long? expectedSize = null,
        CancellationToken cancellationToken = default)
    {
        OciDigest.Validate(digest, "blob digest");
        LogPullingBlob(_logger, repository.Registry, repository.Repository, digest);
        var call = Call(repository, $"pulling blob {digest} from {repository.Repository}", push: false,
            () => new HttpRequestMessage(HttpMethod.Get, BlobUri(repository, digest)),
            HttpCompletionOption.ResponseHeadersRead);
        using var response = await _transport.SendAsync(call, cancellationToken);
        if (response.Message.StatusCode != HttpStatusCode.OK)
        {
            throw await FailAsync(call, response, cancellationToken);
        }

        var content = await ReadBoundedAsync(call, response.Message, cancellationToken);
        VerifyDigest(call, "blob", digest, content);
        if (expectedSize is { } size && size != content.Length)
        {
            throw new RegistryException(RegistryFailure.DigestMismatch, repository.Registry, repository.Repository,
                $"blob {digest} from registry {repository.Registry} repository {repository.Repository} has " +
                $"{content.Length} bytes but its descriptor says {size}: the manifest and blob disagree; refusing it");
        }

        return content;
    }

    /// <summary>
    /// PUTs <paramref name="manifest"/> under <paramref name="reference"/>'s tag (or digest) with
    /// <paramref name="mediaType"/>, and returns the manifest digest.
    /// </summary>
    public async Task<string> PutManifestAsync(OciReference reference, ReadOnlyMemory<byte> manifest, string mediaType,
        CancellationToken cancellationToken = default)
    {
        var digest = OciDigest.Compute(manifest.Span);
        if (reference.Digest is not null && reference.Digest != digest)
        {
            throw new ArgumentException(
                $"manifest digest {digest} does not match the digest in reference {reference}: push by tag, or by the " +
                "manifest's own digest", nameof(reference));
        }

        LogPuttingManifest(_logger, reference.Registry, reference.Repository, reference.Reference, digest);
        var call = Call(reference, $"putting manifest {reference}", push: true, () =>
        {
            var content = new ReadOnlyMemoryContent(manifest);
            content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
            return new HttpRequestMessage(HttpMethod.Put, ManifestUri(reference)) { Content = content };
        });
        using var response = await _transport.SendAsync(call, cancellationToken);
        if (response.Message.StatusCode is not (HttpStatusCode.Created or HttpStatusCode.OK))
        {
            throw await FailAsync(call, response, cancellationToken);
        }

        if (HeaderDigest(response.Message) is { } announced && announced != digest)
        {
            throw RegistryErrors.InvalidResponse(call,
                $"it stored the manifest as {announced} but its bytes hash to {digest}");
        }

        return digest;
    }

    /// <summary>Serializes <paramref name="manifest"/> stably and PUTs it; returns the manifest digest.</summary>
    public Task<string> PutManifestAsync(OciReference reference, OciImageManifest manifest,
        CancellationToken cancellationToken = default) =>
        PutManifestAsync(reference, manifest.ToJson(), manifest.MediaType, cancellationToken);

    /// <summary>
    /// GETs the manifest for <paramref name="reference"/>. A manifest fetched by digest must hash to it, and one
    /// fetched by tag must hash to the registry's <c>Docker-Content-Digest</c>; otherwise it is refused.
    /// </summary>
    public async Task<PulledManifest> GetManifestAsync(OciReference reference, CancellationToken cancellationToken = default)
    {
        LogPullingManifest(_logger, reference.Registry, reference.Repository, reference.Reference);
        var call = Call(reference, $"getting manifest {reference}", push: false, () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, ManifestUri(reference));
            foreach (var accept in ManifestAccept)
            {
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
            }

            return request;
        }, HttpCompletionOption.ResponseHeadersRead);
        using var response = await _transport.SendAsync(call, cancellationToken);
        if (response.Message.StatusCode != HttpStatusCode.OK)
        {
            throw await FailAsync(call, response, cancellationToken);
        }

        var content = await ReadBoundedAsync(call, response.Message, cancellationToken);
        var expected = reference.Digest ?? HeaderDigest(response.Message);
        var digest = expected is null ? OciDigest.Compute(content) : VerifyDigest(call, "manifest", expected, content);
        var mediaType = response.Message.Content.Headers.ContentType?.MediaType ?? OciMediaTypes.ImageManifest;
        OciImageManifest manifest;
        try
        {
            manifest = OciImageManifest.Parse(content, reference.ToString());
        }
        catch (FormatException ex)
        {
            throw new RegistryException(RegistryFailure.InvalidResponse, reference.Registry, reference.Repository,
                $"registry {reference.Registry} served an unusable manifest for {reference}: {ex.Message}",
                innerException: ex);
        }

        return new PulledManifest(manifest, content, digest, mediaType);
    }

    /// <summary>Pulls the manifest and every layer (not the config), each verified against its descriptor.</summary>
    public async Task<PulledArtifact> PullArtifactAsync(OciReference reference, CancellationToken cancellationToken = default)
    {
        var manifest = await GetManifestAsync(reference, cancellationToken);
        var layers = new List<byte[]>(manifest.Manifest.Layers.Count);
        foreach (var layer in manifest.Manifest.Layers)
        {
            layers.Add(await PullBlobAsync(reference, layer.Digest, layer.Size, cancellationToken));
        }

        return new PulledArtifact(manifest, layers);
    }

    /// <summary>Pushes every blob of <paramref name="artifact"/> (skipping present ones), then its manifest.</summary>
    public async Task<string> PushArtifactAsync(OciReference reference, OciArtifact artifact,
        CancellationToken cancellationToken = default)
    {
        // Blobs first: a registry refuses a manifest whose blobs it does not have.
        foreach (var (descriptor, content) in artifact.BlobsInOrder())
        {
            var pushed = await PushBlobAsync(reference, content, BlobUploadMode.Auto, cancellationToken);
            if (pushed.Digest != descriptor.Digest || pushed.Size != descriptor.Size)
            {
                throw new InvalidOperationException(
                    $"artifact blob content hashes to {pushed.Digest} ({pushed.Size} bytes) but the manifest " +
                    $"descriptor says {descriptor.Digest} ({descriptor.Size} bytes)");
            }
        }

        return await PutManifestAsync(reference, artifact.Manifest, cancellationToken);
    }

    /// <summary>The repository's tags, following <c>Link</c> pagination.</summary>
    public async Task<IReadOnlyList<string>> ListTagsAsync(OciReference repository, CancellationToken cancellationToken = default)
    {
        var tags = new List<string>();
        Uri? next = new(RepositoryUri(repository), "tags/list");
        while (next is not null)
        {
            var page = next;
            var call = Call(repository, $"listing tags of {repository.Repository}", push: false,
                () => new HttpRequestMessage(HttpMethod.Get, page));
            using var response = await _transport.SendAsync(call, cancellationToken);
            if (response.Message.StatusCode != HttpStatusCode.OK)
            {
                throw await FailAsync(call, response, cancellationToken);
            }

            try
            {
                await using var body = await response.Message.Content.ReadAsStreamAsync(cancellationToken);
                using var document = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken);
                if (document.RootElement.TryGetProperty("tags", out var list) && list.ValueKind == JsonValueKind.Array)
                {
                    tags.AddRange(list.EnumerateArray().Select(tag => tag.GetString() ?? ""));
                }
            }
            catch (JsonException ex)
            {
                throw RegistryErrors.InvalidResponse(call, $"the tag list is not JSON ({ex.Message})");
            }

            next = NextPage(page, response.Message);
        }

        return tags;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    private async Task<Uri> StartUploadAsync(OciReference repository, string digest, CancellationToken cancellationToken)
    {
        var call = Call(repository, $"starting the upload of blob {digest} to {repository.Repository}", push: true,
            () => new HttpRequestMessage(HttpMethod.Post, new Uri(RepositoryUri(repository), "blobs/uploads/"))
            {
                Content = new ByteArrayContent([]),
            });
        using var response = await _transport.SendAsync(call, cancellationToken);
        if (response.Message.StatusCode != HttpStatusCode.Accepted)
        {
            throw await FailAsync(call, response, cancellationToken);
        }

        return UploadLocation(call, response.Message, null);
    }

    private async Task<Uri> PatchChunkAsync(OciReference repository, string digest, Uri location,
        ReadOnlyMemory<byte> chunk, long offset, CancellationToken cancellationToken)
    {
        var end = offset + chunk.Length - 1;
        var call = Call(repository, $"uploading bytes {offset}-{end} of blob {digest} to {repository.Repository}",
            push: true, () =>
            {
                var content = new ReadOnlyMemoryContent(chunk);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                // The distribution spec's Content-Range for chunks is "<start>-<end>", inclusive, without "bytes ".
                content.Headers.TryAddWithoutValidation("Content-Range", $"{offset}-{end}");
                return new HttpRequestMessage(HttpMethod.Patch, location) { Content = content };
            });
        using var response = await _transport.SendAsync(call, cancellationToken);
        if (response.Message.StatusCode != HttpStatusCode.Accepted)
        {
            throw await FailAsync(call, response, cancellationToken);
        }

        return UploadLocation(call, response.Message, location);
    }

    private async Task CommitUploadAsync(OciReference repository, string digest, Uri location,
        ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        var separator = string.IsNullOrEmpty(location.Query) ? "?" : "&";
        var uri = new Uri(location + separator + "digest=" + Uri.EscapeDataString(digest));
        var call = Call(repository, $"pushing blob {digest} to {repository.Repository}", push: true, () =>
        {
            var body = new ReadOnlyMemoryContent(content);
            body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            return new HttpRequestMessage(HttpMethod.Put, uri) { Content = body };
        });
        using var response = await _transport.SendAsync(call, cancellationToken);
        if (response.Message.StatusCode is not (HttpStatusCode.Created or HttpStatusCode.OK))
        {
            throw await FailAsync(call, response, cancellationToken);
        }

        if (HeaderDigest(response.Message) is { } announced && announced != digest)
        {
            throw RegistryErrors.InvalidResponse(call, $"it stored the blob as {announced} but we sent {digest}");
        }
    }

    // Location may be relative (Zot, Harbor); it is resolved against the request that returned it.
    private static Uri UploadLocation(RegistryCall call, HttpResponseMessage response, Uri? previous)
    {
        var location = response.Headers.Location;
        if (location is null)
        {
            return previous ?? throw RegistryErrors.InvalidResponse(call, "202 without a Location header");
        }

        return location.IsAbsoluteUri ? location : new Uri(response.RequestMessage!.RequestUri!, location);
    }

    private RegistryCall Call(OciReference repository, string operation, bool push, Func<HttpRequestMessage> create,
        HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead) =>
        new(repository.Registry, repository.Repository, operation,
            [push ? RegistryScope.Push(repository.Repository) : RegistryScope.Pull(repository.Repository)],
            create, completion);

    private Task<RegistryException> FailAsync(RegistryCall call, RegistryResponse response,
        CancellationToken cancellationToken) =>
        RegistryErrors.FromResponseAsync(call, response,
            _transport.Authenticator.CredentialsFor(call.Registry) is not null, cancellationToken);

    private Uri RepositoryUri(OciReference repository) =>
        new(_transport.BaseUri(repository.Registry), repository.Repository + "/");

    private Uri BlobUri(OciReference repository, string digest) => new(RepositoryUri(repository), "blobs/" + digest);

    private Uri ManifestUri(OciReference reference) =>
        new(RepositoryUri(reference), "manifests/" + reference.Reference);

    private static string? HeaderDigest(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Docker-Content-Digest", out var values) ? values.FirstOrDefault() : null;

    private string VerifyDigest(RegistryCall call, string what, string expected, byte[] content)
    {
        var actual = OciDigest.Compute(content);
        if (actual != expected)
        {
            throw new RegistryException(RegistryFailure.DigestMismatch, call.Registry, call.Repository,
                $"{what} from registry {call.Registry} repository {call.Repository} hashes to {actual} but " +
                $"{expected} was expected: the content was altered in the registry or in transit; refusing it");
        }

        return actual;
    }

    private async Task<byte[]> ReadBoundedAsync(RegistryCall call, HttpResponseMessage response,
        CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength > _options.MaxPullBytes)
        {
            throw TooLarge(call, response.Content.Headers.ContentLength.Value);
        }

        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > _options.MaxPullBytes)
            {
                throw TooLarge(call, buffer.Length + read);
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private RegistryException TooLarge(RegistryCall call, long size) =>
        new(RegistryFailure.InvalidResponse, call.Registry, call.Repository,
            $"registry {call.Registry} sent at least {size} bytes while {call.Operation}, more than " +
            $"{OciRegistryOptions.SectionName}:MaxPullBytes ({_options.MaxPullBytes}): raise the limit if this is expected");

    private static Uri? NextPage(Uri current, HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Link", out var links))
        {
            return null;
        }

        foreach (var link in links)
        {
            var start = link.IndexOf('<', StringComparison.Ordinal);
            var end = link.IndexOf('>', StringComparison.Ordinal);
            if (start >= 0 && end > start && link.Contains("rel=\"next\"", StringComparison.Ordinal))
            {
                return new Uri(current, link[(start + 1)..end]);
            }
        }

        return null;
    }

    private static bool ChainsToCustomRoots(X509Certificate? certificate, SslPolicyErrors errors,
        X509Certificate2Collection roots)
    {
        // A name mismatch or missing certificate is never excused; only the trust anchor is replaced.
        if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return chain.Build(leaf);
    }
}
