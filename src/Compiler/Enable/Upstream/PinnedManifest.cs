namespace Conductor.Compiler.OperatorBundle.Upstream;

/// <summary>An upstream release manifest the bundle references, never embeds: where to fetch it and what it must hash to.</summary>
public sealed record PinnedManifest(string Name, string Version, string Url, string Sha256);

/// <summary>A release manifest pinned by URL; its checksum is supplied separately (see <see cref="UpstreamPins"/>).</summary>
public sealed record UpstreamRelease(string Name, string Version, string Url, string? Sha256 = null);
