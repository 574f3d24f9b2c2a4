namespace Conductor.Compiler.Validation.ClusterInputRules;

/// <summary>The <c>bootstrap</c> section (Talos version, nodes, endpoint) is required in both modes.</summary>
internal sealed class BootstrapSectionRule : IClusterInputRule
{
    public IEnumerable<InputError> Check(ClusterInputContext context)
    {
        if (context.Input.Bootstrap is null)
        {
            yield return new("bootstrap",
                "the bootstrap section is required: it names the Talos version, the control-plane endpoint and the nodes");
        }
    }
}
