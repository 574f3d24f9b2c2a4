namespace Conductor.Compiler.Packs.Input;

/// <summary>A Helm chart to render (compiler.md §4.6). Accepted by the schema; building it is a later issue.</summary>
public sealed class HelmSource
{
    public string? Url { get; set; }

    public string? Chart { get; set; }

    public string? Version { get; set; }

    public string? ValuesFile { get; set; }

    public string? Namespace { get; set; }

    public string? RegistryCredentialsSecret { get; set; }

    public string? HelmVersion { get; set; }
}
