namespace Conductor.Integration.Tests.Federation;

/// <summary>Federation scenarios share both apiservers and two cores: they run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FederationCollection
{
    public const string Name = "federation";
}
