namespace Conductor.Registry.Packaging;

/// <summary>One file in a layer: its path inside the archive ('/'-separated, relative) and its bytes.</summary>
public sealed record LayerFile(string Path, ReadOnlyMemory<byte> Content);
