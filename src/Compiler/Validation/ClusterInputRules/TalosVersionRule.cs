using Conductor.Compiler.Talos;

namespace Conductor.Compiler.Validation.ClusterInputRules;

/// <summary><c>bootstrap.talosVersion</c> is required and must be a release whose config contract we generate.</summary>
internal sealed class TalosVersionRule : IClusterInputRule
{
    public IEnumerable<InputError> Check(ClusterInputContext context)
    {
        if (context.Input.Bootstrap is not { } bootstrap)
        {
            yield break;
        }
        if (string.IsNullOrEmpty(bootstrap.TalosVersion))
        {
            yield return new("bootstrap.talosVersion",
                $"talosVersion is required: the Talos release of the nodes, for example v1.9.3 (supported: {TalosVersion.SupportedRange})");
        }
        else if (TalosVersion.TryParse(bootstrap.TalosVersion, out var error) is null)
        {
            yield return new("bootstrap.talosVersion", error);
        }
    }
}
