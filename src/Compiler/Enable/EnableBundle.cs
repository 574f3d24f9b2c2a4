using Conductor.Compiler.OperatorBundle.Phases;

namespace Conductor.Compiler.OperatorBundle;

/// <summary>
/// The phased operator bundle (compiler notes §3): directories sort in apply order, each with its phase-meta.yaml.
/// A tenant gets only what its agent needs: phase 00 (CRDs, namespace) and 04 (the agent).
/// </summary>
public static class EnableBundle
{
    public static IReadOnlyList<Phase> Phases(EnableSettings settings)
    {
        var phases = new List<Phase> { InfrastructureDependencies.Build(settings) };
        if (settings.Capi)
        {
            phases.Add(CapiPrerequisites.Build(settings));
        }
        if (settings.Role == AgentRole.Management)
        {
            phases.Add(GuardianBootstrap.Build(settings));
            phases.Add(GuardianDeploy.Build(settings));
            phases.Add(PlatformDispatcher.Build(settings));
        }
        phases.Add(ConductorPhase.Build(settings));
        if (settings.Role == AgentRole.Management)
        {
            phases.Add(PostBootstrap.Build(settings));
        }
        return phases;
    }

    /// <summary>Every file of the bundle as ('/'-separated relative path, exact content).</summary>
    public static IReadOnlyList<(string Name, string Content)> Files(EnableSettings settings)
    {
        var metaNamespace = settings.Role == AgentRole.Management ? Labels.SeamSystem : Labels.OntSystem;
        return
        [
            .. Phases(settings).SelectMany(phase => phase.Files.Append(phase.Meta(metaNamespace))
                .Select(file => ($"{phase.Directory}/{file.Name}", file.Render()))),
        ];
    }
}
