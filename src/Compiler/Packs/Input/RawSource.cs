namespace Conductor.Compiler.Packs.Input;

/// <summary>A directory of plain manifests (compiler.md §4.7); a relative path is resolved against the input file's directory.</summary>
public sealed class RawSource
{
    public string? Path { get; set; }
}
