using Conductor.Registry.Distribution;

namespace Conductor.Registry.Packaging;

/// <summary>
/// A gzip-compressed tar layer: its bytes, their digest (the blob digest) and the digest of the uncompressed tar
/// (the OCI DiffID).
/// </summary>
public sealed record PackagedLayer(byte[] Content, string Digest, string UncompressedDigest)
{
    /// <summary>The compressed size in bytes.</summary>
    public long Size => Content.LongLength;

    /// <summary>A descriptor for this layer with <paramref name="mediaType"/>.</summary>
    public OciDescriptor Descriptor(string mediaType = OciMediaTypes.ImageLayerTarGzip,
        IReadOnlyDictionary<string, string>? annotations = null) =>
        new(mediaType, Digest, Size, annotations);
}
