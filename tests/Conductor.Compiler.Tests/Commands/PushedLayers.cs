using System.Formats.Tar;
using System.IO.Compression;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Conductor.TestSupport.Registry;

namespace Conductor.Compiler.Tests.Commands;

/// <summary>
/// Reads a pushed pack layer back without our OCI client: skopeo gives the manifest (whose SHA-256 is the digest the
/// PackDelivery must record), and the registry API gives the layer blob, unpacked here with the BCL tar reader.
/// </summary>
internal static class PushedLayers
{
    public sealed record Layer(string ManifestDigest, string ArtifactType, string LayerMediaType, IReadOnlyList<string> Files, string ManifestsYaml);

    public static async Task<Layer> ReadAsync(string registry, string repository, string tag)
    {
        var ct = TestContext.Current.CancellationToken;
        var raw = await Skopeo.InspectRawAsync($"{registry}/{repository}:{tag}", ct);
        var digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(raw));
        using var manifest = JsonDocument.Parse(raw);
        var layers = manifest.RootElement.GetProperty("layers");
        Assert.Equal(1, layers.GetArrayLength());
        var layer = layers[0];

        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"http://{registry}/v2/{repository}/blobs/{layer.GetProperty("digest").GetString()}"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/octet-stream"));
        using var response = await http.SendAsync(request, ct);
        response.EnsureSuccessStatusCode();
        var blob = await response.Content.ReadAsByteArrayAsync(ct);

        var files = new List<string>();
        var yaml = "";
        using var gzip = new GZipStream(new MemoryStream(blob), CompressionMode.Decompress);
        using var tar = new TarReader(gzip);
        while (await tar.GetNextEntryAsync(cancellationToken: ct) is { } entry)
        {
            files.Add(entry.Name);
            if (entry.Name == "manifests.yaml" && entry.DataStream is { } data)
            {
                using var reader = new StreamReader(data, Encoding.UTF8);
                yaml = await reader.ReadToEndAsync(ct);
            }
        }
        return new Layer(digest, manifest.RootElement.GetProperty("artifactType").GetString()!,
            layer.GetProperty("mediaType").GetString()!, files, yaml);
    }
}
