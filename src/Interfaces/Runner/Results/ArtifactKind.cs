using System.Text.Json.Serialization;

namespace Conductor.Runner.Results;

/// <summary>Where an artifact lives. The member names are the wire names.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ArtifactKind>))]
public enum ArtifactKind
{
    /// <summary>A ConfigMap; the reference is <c>namespace/name</c>.</summary>
    [JsonStringEnumMemberName("ConfigMap")]
    ConfigMap,

    /// <summary>A Secret; the reference is <c>namespace/name</c>.</summary>
    [JsonStringEnumMemberName("Secret")]
    Secret,

    /// <summary>An OCI artifact; the reference is <c>registry/repository@digest</c>.</summary>
    [JsonStringEnumMemberName("OCIImage")]
    OciImage,

    /// <summary>An object in S3-compatible storage; the reference is <c>s3://bucket/key</c>.</summary>
    [JsonStringEnumMemberName("S3Object")]
    S3Object,

    /// <summary>An object on a cluster's API; the reference is <c>{apiVersion}/{kind}/{namespace}/{name}</c> (no namespace segment when cluster-scoped).</summary>
    [JsonStringEnumMemberName("KubernetesResource")]
    KubernetesResource,
}
