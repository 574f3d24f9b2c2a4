namespace Conductor.Registry.Distribution;

/// <summary>An OCI content descriptor: what a blob is, its digest and size, and optional annotations.</summary>
public sealed record OciDescriptor(
    string MediaType,
    string Digest,
    long Size,
    IReadOnlyDictionary<string, string>? Annotations = null)
{
    /// <summary>A descriptor for <paramref name="content"/>, hashing it.</summary>
    public static OciDescriptor For(string mediaType, ReadOnlySpan<byte> content,
        IReadOnlyDictionary<string, string>? annotations = null) =>
        new(mediaType, OciDigest.Compute(content), content.Length, annotations);
}
