using Conductor.Compiler.Talos.Patches;
using Conductor.Compiler.Yaml;

namespace Conductor.Compiler.Validation.ClusterInputRules;

/// <summary>Each entry of <c>patches</c> is a YAML mapping that can be merged into a machine config.</summary>
internal sealed class PatchesRule : IClusterInputRule
{
    public IEnumerable<InputError> Check(ClusterInputContext context)
    {
        var patches = context.Input.Patches ?? [];
        for (var i = 0; i < patches.Count; i++)
        {
            string? error = null;
            try
            {
                MachineConfigPatch.Parse(patches[i] ?? "");
            }
            catch (YamlReadException e)
            {
                error = e.Message;
            }
            if (error is not null)
            {
                yield return new($"patches[{i}]", error);
            }
        }
    }
}
