namespace Conductor.Registry.Distribution;

/// <summary>The outcome of pushing a blob: its digest and size, and whether bytes were sent (false: it was present).</summary>
public sealed record BlobPushResult(string Digest, long Size, bool Uploaded);
