namespace Conductor.Compiler.Validation;

/// <summary>
/// One validation rule over a compiler input. A verb runs its rules in a declared order and reports every violation
/// at once (STYLE 17); the verb maps each field path to the file and line it came from.
/// </summary>
internal interface IInputRule<in T>
{
    IEnumerable<InputViolation> Check(T input);
}

/// <summary>A broken rule: the field path (<c>helmSource.url</c>, <c>targetClusters[1]</c>) and what is wrong with the fix.</summary>
internal sealed record InputViolation(string Field, string Message);
