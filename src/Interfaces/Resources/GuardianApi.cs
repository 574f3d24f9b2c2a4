namespace Conductor.Resources;

/// <summary>The <c>guardian.ontai.dev</c> API group (DESIGN §3): permission and RBAC kinds.</summary>
public static class GuardianApi
{
    public const string Group = "guardian.ontai.dev";
    public const string Version = "v1alpha1";
    public const string ApiVersion = Group + "/" + Version;

    /// <summary>CRD category, so <c>kubectl get guardian</c> lists every kind of the group.</summary>
    public const string Category = "guardian";
}
