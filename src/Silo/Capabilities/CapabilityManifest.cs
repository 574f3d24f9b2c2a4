using System.Reflection;
using System.Text.Json;
using Conductor.Resources.Seam;
using Conductor.Runner.Capabilities;

namespace Conductor.Silo.Capabilities;

/// <summary>The capability manifest of this image: every declared catalog entry with its version and parameter schema.</summary>
public static class CapabilityManifest
{
    /// <summary>The agent's version: the informational version of the conductor assembly.</summary>
    public static string AgentVersion { get; } =
        typeof(CapabilityManifest).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(CapabilityManifest).Assembly.GetName().Version?.ToString()
        ?? "unknown";

    /// <summary>
    /// The declarations of <see cref="CapabilityCatalog.DeclaredNames"/> (executable and available in this build), in
    /// catalog order, so an unchanged manifest compares equal.
    /// </summary>
    public static IReadOnlyList<CapabilityDeclaration> Build() => Build(CapabilityCatalog.DeclaredNames);

    /// <summary>The declarations of <paramref name="names"/>, each with its version, description and JSON schema.</summary>
    public static IReadOnlyList<CapabilityDeclaration> Build(IEnumerable<string> names) =>
        [.. names.Select(name => CapabilityCatalog.Find(name)!).Select(descriptor => new CapabilityDeclaration
        {
            Name = descriptor.Name,
            Version = descriptor.Version,
            Description = descriptor.Description,
            Parameters = JsonSerializer.SerializeToElement(descriptor.ParameterJsonSchema()),
        })];
}
