using Conductor.Compiler.Bootstrap.Input;

namespace Conductor.Compiler.Validation.ClusterInputRules;

/// <summary>
/// <c>mode</c> is <c>bootstrap</c> or <c>import</c>; <c>importExistingCluster</c>, when set, must agree with it
/// (the reference let the flag silently override the mode).
/// </summary>
internal sealed class ModeRule : IClusterInputRule
{
    public IEnumerable<InputError> Check(ClusterInputContext context)
    {
        var input = context.Input;
        switch (input.Mode)
        {
            case null or "":
                yield return new("mode", "mode is required: 'bootstrap' forms a new cluster, 'import' adopts a running one");
                yield break;
            case ClusterModes.Bootstrap or ClusterModes.Import:
                break;
            default:
                yield return new("mode", $"'{input.Mode}' is not a mode: use 'bootstrap' or 'import'");
                yield break;
        }
        if (input.ImportExistingCluster is { } flag && flag != context.IsImport)
        {
            yield return new("importExistingCluster",
                $"importExistingCluster: {flag.ToString().ToLowerInvariant()} contradicts mode: {input.Mode}; remove it or make it " +
                $"{(!flag).ToString().ToLowerInvariant()}");
        }
    }
}
