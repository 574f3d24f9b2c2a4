namespace Conductor.Silo.Kubernetes;

/// <summary>Timing of a <see cref="ResourceInformer{T}"/>.</summary>
public sealed record ResourceInformerOptions
{
    /// <summary>
    /// How long the server keeps one watch open before ending it; the informer then watches again from the last
    /// resourceVersion. Below the client's 100 s HTTP timeout so a quiet watch is ended by the server, not the client.
    /// </summary>
    public TimeSpan WatchTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>First delay after a failed list or watch; doubled per consecutive failure, with jitter.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Longest delay between retries.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(30);
}
