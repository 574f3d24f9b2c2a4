using Conductor.Registry.Distribution;

namespace Conductor.Registry.Packaging;

/// <summary>
/// The media types of a pack layer artifact, shared by <c>compiler packbuild</c> (push) and the pack-deploy
/// capability (pull) so both sides agree. Each layer bucket (rbac, cluster-scoped, workload) is its own artifact:
/// one tar.gz layer holding <see cref="ManifestsFileName"/>, and the OCI empty config.
/// </summary>
public static class PackMediaTypes
{
    /// <summary>The manifest's <c>artifactType</c>.</summary>
    public const string ArtifactType = "application/vnd.seam.ontai.dev.pack.layer.v1";

    /// <summary>The layer media type: a real gzip tar, unlike the reference, which claimed plain tar.</summary>
    public const string Layer = OciMediaTypes.ImageLayerTarGzip;

    /// <summary>The one file in a pack layer.</summary>
    public const string ManifestsFileName = "manifests.yaml";

    /// <summary>Descriptor annotation naming the file, per the OCI pre-defined annotation keys.</summary>
    public const string TitleAnnotation = "org.opencontainers.image.title";
}
