namespace Conductor.Silo.Federation.Revocation;

/// <summary>Where management watches for revoked PackInstalled and PermissionSnapshot resources.</summary>
public sealed class RevocationWatchOptions
{
    /// <summary>Namespace to watch; null watches every namespace (production). Tests confine it to their own.</summary>
    public string? Namespace { get; set; }

    /// <summary>Longest wait between attempts after the apiserver failed the list or watch.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);
}
