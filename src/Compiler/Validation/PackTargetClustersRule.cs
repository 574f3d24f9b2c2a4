using Conductor.Compiler.Packs.Input;
using Conductor.Naming;

namespace Conductor.Compiler.Validation;

/// <summary>Each target cluster is a TalosCluster name (DNS-1123 label), listed once.</summary>
internal sealed class PackTargetClustersRule : IInputRule<PackBuildDocument>
{
    public IEnumerable<InputViolation> Check(PackBuildDocument document)
    {
        var clusters = document.Input.TargetClusters ?? [];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < clusters.Count; i++)
        {
            var cluster = clusters[i];
            if (!DnsLabel.IsValid(cluster))
            {
                yield return new($"targetClusters[{i}]",
                    $"'{cluster}' is not a cluster name (the metadata.name of a TalosCluster, a DNS-1123 label): fix it");
            }
            else if (!seen.Add(cluster))
            {
                yield return new($"targetClusters[{i}]", $"'{cluster}' is listed twice: list each cluster once");
            }
        }
    }
}
