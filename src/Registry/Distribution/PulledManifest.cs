namespace Conductor.Registry.Distribution;

/// <summary>A manifest read from a registry, its exact bytes, their verified digest and the served media type.</summary>
public sealed record PulledManifest(OciImageManifest Manifest, byte[] Content, string Digest, string MediaType);
