namespace Conductor.Registry.Distribution;

/// <summary>Media types from the OCI image spec (v1.1) and the Docker v2 schema 2 manifest we read.</summary>
public static class OciMediaTypes
{
    /// <summary>OCI image manifest; what we push.</summary>
    public const string ImageManifest = "application/vnd.oci.image.manifest.v1+json";

    /// <summary>OCI image index; accepted on pull so the error can say it is an index.</summary>
    public const string ImageIndex = "application/vnd.oci.image.index.v1+json";

    /// <summary>Docker v2 schema 2 manifest; accepted on pull.</summary>
    public const string DockerManifestV2 = "application/vnd.docker.distribution.manifest.v2+json";

    /// <summary>The OCI 1.1 empty descriptor media type, used as the config of artifacts that need none.</summary>
    public const string EmptyJson = "application/vnd.oci.empty.v1+json";

    /// <summary>OCI image config.</summary>
    public const string ImageConfig = "application/vnd.oci.image.config.v1+json";

    /// <summary>A gzip-compressed tar layer.</summary>
    public const string ImageLayerTarGzip = "application/vnd.oci.image.layer.v1.tar+gzip";

    /// <summary>An uncompressed tar layer.</summary>
    public const string ImageLayerTar = "application/vnd.oci.image.layer.v1.tar";

    /// <summary>The bytes of the OCI empty JSON blob (<c>{}</c>).</summary>
    public static ReadOnlyMemory<byte> EmptyJsonContent { get; } = "{}"u8.ToArray();
}
