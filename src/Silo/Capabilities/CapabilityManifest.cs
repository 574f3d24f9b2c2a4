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

    /// <summary>The declarations, in catalog order (stable, so an unchanged manifest compares equal).</summary>
    public static IReadOnlyList<CapabilityDeclaration> Build() =>
        [.. CapabilityCatalog.DeclaredNames.Select(name => CapabilityCatalog.Find(name)!).Select(descriptor => new CapabilityDeclaration
        {
            Name = descriptor.Name,
            Version = descriptor.Version,
            Description = descriptor.Description,
            Parameters = JsonSerializer.SerializeToElement(descriptor.ParameterJsonSchema()),
        })];
}
