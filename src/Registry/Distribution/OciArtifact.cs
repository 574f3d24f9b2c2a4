namespace Conductor.Registry.Distribution;

/// <summary>A manifest plus the content of every blob it references (config and layers), keyed by digest.</summary>
public sealed record OciArtifact(OciImageManifest Manifest, IReadOnlyDictionary<string, ReadOnlyMemory<byte>> Blobs)
{
    /// <summary>The config then the layers, in manifest order, with their content; a missing blob is an error.</summary>
    public IEnumerable<(OciDescriptor Descriptor, ReadOnlyMemory<byte> Content)> BlobsInOrder()
    {
        foreach (var descriptor in new[] { Manifest.Config }.Concat(Manifest.Layers))
        {
            yield return Blobs.TryGetValue(descriptor.Digest, out var content)
                ? (descriptor, content)
                : throw new InvalidOperationException(
                    $"artifact has no content for blob {descriptor.Digest} ({descriptor.MediaType}) that its manifest references");
        }
    }
}
