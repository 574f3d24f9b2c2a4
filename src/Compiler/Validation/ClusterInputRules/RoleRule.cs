namespace Conductor.Compiler.Validation.ClusterInputRules;

/// <summary><c>role</c> is empty (management), <c>management</c> or <c>tenant</c>.</summary>
internal sealed class RoleRule : IClusterInputRule
{
    public IEnumerable<InputError> Check(ClusterInputContext context)
    {
        if (context.Input.Role is { Length: > 0 } role && role is not ("management" or "tenant"))
        {
            yield return new("role", $"role must be \"management\" or \"tenant\", got \"{role}\"");
        }
    }
}
