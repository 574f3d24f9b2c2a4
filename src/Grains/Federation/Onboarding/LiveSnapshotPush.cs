using Conductor.Federation;
using Conductor.Grains.Signing;

namespace Conductor.Grains.Federation.Onboarding;

/// <summary>Hands a freshly signed PermissionSnapshot to the tenant's session grain, which pushes it if the tenant is connected.</summary>
public sealed class LiveSnapshotPush(IGrainFactory grains) : ISignedSnapshotPush
{
    public Task SignedAsync(string clusterId, string name) => grains.GetGrain<ITenantSessionGrain>(clusterId).PushPermissionSnapshotAsync(name);
}
