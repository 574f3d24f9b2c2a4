namespace Conductor.Registry.Distribution;

/// <summary>A manifest and its layers' bytes, in manifest order, each verified against its descriptor.</summary>
public sealed record PulledArtifact(PulledManifest Manifest, IReadOnlyList<byte[]> Layers);
