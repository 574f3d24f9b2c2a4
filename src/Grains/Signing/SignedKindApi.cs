using Conductor.Resources;
using Conductor.Resources.Dispatcher;
using Conductor.Resources.Guardian;
using Conductor.Signing;

namespace Conductor.Grains.Signing;

/// <summary>API group, version and plural of each <see cref="SignedKind"/>.</summary>
public sealed record SignedKindApi(string Group, string Version, string Plural, string KindName)
{
    public static SignedKindApi Of(SignedKind kind) => kind switch
    {
        SignedKind.PackInstalled => new(SeamApi.Group, SeamApi.Version, PackInstalled.Plural, PackInstalled.KindName),
        SignedKind.PackDelivery => new(SeamApi.Group, SeamApi.Version, PackDelivery.Plural, PackDelivery.KindName),
        SignedKind.PermissionSnapshot => new(GuardianApi.Group, GuardianApi.Version, PermissionSnapshot.Plural, PermissionSnapshot.KindName),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a signed kind"),
    };
}
