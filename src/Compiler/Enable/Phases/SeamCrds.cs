using Conductor.Compiler.Crds;
using Conductor.Compiler.Rendering;
using Conductor.Resources;
using k8s.Models;

namespace Conductor.Compiler.OperatorBundle.Phases;

/// <summary>The CRDs of one Seam API group, from the same generator as <c>compiler launch</c> (never embedded copies).</summary>
public static class SeamCrds
{
    public static IReadOnlyList<V1CustomResourceDefinition> OfGroup(string group) =>
        [.. CrdGenerator.GenerateAll(ResourceKinds.All).Where(crd => crd.Spec.Group == group)];

    public static Manifest File(string fileName, string phaseDirectory, string group) =>
        Manifest.Of(fileName,
            Phase.Header(phaseDirectory, $"The {group} CustomResourceDefinitions, generated from the Conductor resource models."),
            OfGroup(group));
}
