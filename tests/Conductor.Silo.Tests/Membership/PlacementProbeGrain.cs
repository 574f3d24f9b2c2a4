using Orleans;
using Orleans.Runtime;

namespace Conductor.Silo.Tests.Membership;

/// <summary>A test grain that says which silo it lives on and when it was activated.</summary>
public interface IPlacementProbeGrain : IGrainWithIntegerKey
{
    Task<string> WhereAsync();
}

public sealed class PlacementProbeGrain(ILocalSiloDetails silo) : Grain, IPlacementProbeGrain
{
    public Task<string> WhereAsync() => Task.FromResult(silo.SiloAddress.ToParsableString());
}
