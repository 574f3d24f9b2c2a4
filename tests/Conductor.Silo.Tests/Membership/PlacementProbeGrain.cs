using Orleans;
using Orleans.Placement;
using Orleans.Runtime;

namespace Conductor.Silo.Tests.Membership;

/// <summary>A test grain that says which silo it lives on and when it was activated.</summary>
public interface IPlacementProbeGrain : IGrainWithIntegerKey
{
    Task<string> WhereAsync();
}

// Random placement spreads probes over all silos, so the test can pick one that lives on a given silo.
[RandomPlacement]
public sealed class PlacementProbeGrain(ILocalSiloDetails silo) : Grain, IPlacementProbeGrain
{
    public Task<string> WhereAsync() => Task.FromResult(silo.SiloAddress.ToParsableString());
}
