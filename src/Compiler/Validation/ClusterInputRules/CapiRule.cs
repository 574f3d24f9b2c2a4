namespace Conductor.Compiler.Validation.ClusterInputRules;

/// <summary>With <c>capi.enabled</c>, replica counts are not negative and every worker pool has a name.</summary>
internal sealed class CapiRule : IClusterInputRule
{
    public IEnumerable<InputError> Check(ClusterInputContext context)
    {
        if (context.Input.Capi is not { Enabled: true } capi)
        {
            yield break;
        }
        if (capi.ControlPlane?.Replicas is < 0)
        {
            yield return new("capi.controlPlane.replicas", "replicas must be 0 or more");
        }
        var workers = capi.Workers ?? [];
        for (var i = 0; i < workers.Count; i++)
        {
            if (string.IsNullOrEmpty(workers[i].Name))
            {
                yield return new($"capi.workers[{i}].name", "name is required for every worker pool");
            }
            if (workers[i].Replicas is < 0)
            {
                yield return new($"capi.workers[{i}].replicas", "replicas must be 0 or more");
            }
        }
    }
}
