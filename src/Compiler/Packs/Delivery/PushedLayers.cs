namespace Conductor.Compiler.Packs.Delivery;

/// <summary>The manifest digests of the pushed layers, and the checksum of their text (compiler.md §4.5).</summary>
public sealed record PushedLayers(string RbacDigest, string? ClusterScopedDigest, string WorkloadDigest, string Checksum);
