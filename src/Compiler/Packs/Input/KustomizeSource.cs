namespace Conductor.Compiler.Packs.Input;

/// <summary>A kustomization directory (compiler.md §4.8). Accepted by the schema; building it is a later issue.</summary>
public sealed class KustomizeSource
{
    public string? Path { get; set; }
}
