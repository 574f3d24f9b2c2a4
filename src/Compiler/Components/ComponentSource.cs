namespace Conductor.Compiler.Components;

/// <summary>Where a component definition came from, recorded on what is written from it.</summary>
public abstract record ComponentSource
{
    private ComponentSource()
    {
    }

    /// <summary>The embedded catalog, at <see cref="Conductor.Components.ComponentCatalog.Version"/>.</summary>
    public sealed record Catalog(string CatalogVersion) : ComponentSource;

    /// <summary>A hand-written descriptor; only its file name is recorded, so the output does not depend on where it was read from.</summary>
    public sealed record Descriptor(string FileName) : ComponentSource;
}
