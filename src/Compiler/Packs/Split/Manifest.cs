namespace Conductor.Compiler.Packs.Split;

/// <summary>One Kubernetes manifest of a pack: its kind, name and namespace, and its YAML text as written (trimmed).</summary>
public sealed record Manifest(string Kind, string Name, string? Namespace, string Text)
{
    /// <summary>The Namespace manifest packbuild adds for a namespace the RBAC layer needs and the input lacks.</summary>
    public static Manifest SyntheticNamespace(string name) =>
        new(ManifestKinds.Namespace, name, null, $"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {name}");
}
