namespace Conductor.Compiler.Validation;

/// <summary>One broken rule: the field path (<c>bootstrap.nodes[2].role</c>) and what is wrong plus how to fix it.</summary>
internal sealed record InputError(string Field, string Message)
{
    public override string ToString() => $"{Field}: {Message}";
}
