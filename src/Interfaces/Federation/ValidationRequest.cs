namespace Conductor.Federation;

/// <summary>A tenant asks whether a RunnerConfig (its <c>spec</c> as JSON) may run.</summary>
[GenerateSerializer, Immutable]
public sealed record ValidationRequest(
    [property: Id(0)] string RequestId,
    [property: Id(1)] string Namespace,
    [property: Id(2)] string Name,
    [property: Id(3)] string SpecJson);
