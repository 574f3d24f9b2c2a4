namespace Conductor.Federation;

/// <summary>The kinds of signed artifact management can revoke.</summary>
[GenerateSerializer]
public enum RevocationTarget
{
    PackInstalled = 1,
    PermissionSnapshot = 2,
}
