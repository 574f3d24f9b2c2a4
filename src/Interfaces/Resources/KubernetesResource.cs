using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Conductor.Resources;

/// <summary>
/// A namespaced custom resource with a spec and a status subresource. Every Seam API kind derives from it,
/// so each works with KubernetesClient's <see cref="GenericClient"/> and <see cref="KubernetesJson"/>.
/// </summary>
public abstract class KubernetesResource<TSpec, TStatus>(string apiVersion, string kind)
    : IKubernetesObject<V1ObjectMeta>, ISpec<TSpec>, IStatus<TStatus?>
    where TSpec : class, new()
    where TStatus : class
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = apiVersion;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = kind;

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public TSpec Spec { get; set; } = new();

    /// <summary>Written only through the <c>/status</c> subresource; the API server ignores it on create.</summary>
    [JsonPropertyName("status")]
    public TStatus? Status { get; set; }
}
