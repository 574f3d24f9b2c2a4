using System.Text.RegularExpressions;

namespace Conductor.Compiler.Validation.ClusterInputRules;

/// <summary>
/// <c>bootstrap.kubernetesVersion</c>, when set, is <c>MAJOR.MINOR.PATCH</c> without a <c>v</c>; when absent, the
/// Talos release must have a default.
/// </summary>
internal sealed partial class KubernetesVersionRule : IClusterInputRule
{
    public IEnumerable<InputError> Check(ClusterInputContext context)
    {
        if (context.Input.Bootstrap is not { } bootstrap)
        {
            yield break;
        }
        if (bootstrap.KubernetesVersion is { } version)
        {
            if (!Pattern().IsMatch(version))
            {
                yield return new("bootstrap.kubernetesVersion",
                    $"'{version}' is not a Kubernetes version; write MAJOR.MINOR.PATCH without a 'v', for example \"1.32.3\"");
            }
        }
        else if (context.TalosVersion is { DefaultKubernetesVersion: null } talos)
        {
            yield return new("bootstrap.kubernetesVersion",
                $"Talos {talos.Tag} has no default Kubernetes version in this compiler; set bootstrap.kubernetesVersion");
        }
    }

    [GeneratedRegex("^[0-9]+\\.[0-9]+\\.[0-9]+$")]
    private static partial Regex Pattern();
}
