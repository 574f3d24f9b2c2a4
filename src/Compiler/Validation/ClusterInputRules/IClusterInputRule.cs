namespace Conductor.Compiler.Validation.ClusterInputRules;

/// <summary>One validation rule of a ClusterInput. Rules never throw for bad input; they report every error they see.</summary>
internal interface IClusterInputRule
{
    IEnumerable<InputError> Check(ClusterInputContext context);
}
