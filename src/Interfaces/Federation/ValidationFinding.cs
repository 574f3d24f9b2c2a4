namespace Conductor.Federation;

/// <summary>One reason a RunnerConfig was refused: the JSON path of the field, the rule and a sentence with the fix.</summary>
[GenerateSerializer, Immutable]
public sealed record ValidationFinding(
    [property: Id(0)] string Field,
    [property: Id(1)] string Rule,
    [property: Id(2)] string Message);
