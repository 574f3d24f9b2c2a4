namespace Conductor.Registry.Distribution;

/// <summary>How a blob is sent to the registry.</summary>
public enum BlobUploadMode
{
    /// <summary>Monolithic up to <see cref="OciRegistryOptions.ChunkSize"/>, chunked above it.</summary>
    Auto,

    /// <summary>POST to open an upload, then one PUT with the whole blob.</summary>
    Monolithic,

    /// <summary>POST to open an upload, PATCH chunks with Content-Range, then PUT to commit.</summary>
    Chunked,
}
