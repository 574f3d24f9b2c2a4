namespace Conductor.Resources;

/// <summary>The <c>seam.ontai.dev</c> API group (DESIGN §3): seam, dispatcher and platform kinds.</summary>
public static class SeamApi
{
    public const string Group = "seam.ontai.dev";
    public const string Version = "v1alpha1";
    public const string ApiVersion = Group + "/" + Version;

    /// <summary>CRD category, so <c>kubectl get seam</c> lists every kind of the group.</summary>
    public const string Category = "seam";
}
