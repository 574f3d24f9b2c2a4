using Conductor.Registry.Distribution;

namespace Conductor.Compiler.Packs.Delivery;

/// <summary>The registry refused or could not take one layer; the inner exception says why and what to fix.</summary>
public sealed class PackLayerPushException(string layer, OciReference reference, RegistryException inner)
    : Exception($"pushing the {layer} layer to {reference} failed: {inner.Message}", inner)
{
    public string Layer { get; } = layer;

    public OciReference Reference { get; } = reference;

    public RegistryException Registry { get; } = inner;
}
