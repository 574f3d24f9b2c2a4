using System.Collections.Immutable;

namespace Conductor.Federation;

/// <summary>Management's answer to a RunnerConfig validation request; <see cref="Reasons"/> is empty when approved.</summary>
[GenerateSerializer, Immutable]
public sealed record ValidationVerdict(
    [property: Id(0)] string RequestId,
    [property: Id(1)] bool Approved,
    [property: Id(2)] ImmutableArray<ValidationFinding> Reasons);
