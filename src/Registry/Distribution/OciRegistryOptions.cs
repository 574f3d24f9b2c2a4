namespace Conductor.Registry.Distribution;

/// <summary>How the OCI registry client connects, retries and uploads. Bound from the <c>Registry</c> section.</summary>
public sealed class OciRegistryOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "Registry";

    /// <summary>Total attempts per request, including the first (1-10). Only transient failures are retried.</summary>
    public int MaxAttempts { get; set; } = 4;

    /// <summary>Delay before the first retry; it doubles per retry up to <see cref="MaxRetryDelay"/>, with jitter.</summary>
    public TimeSpan InitialRetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Upper bound of one retry delay, also the cap on a registry's <c>Retry-After</c>.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Timeout of one HTTP request (one attempt).</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(100);

    /// <summary>Blobs larger than this are uploaded in PATCH chunks of this size; smaller ones in one PUT.</summary>
    public int ChunkSize { get; set; } = 5 * 1024 * 1024;

    /// <summary>The largest blob or manifest a pull will read into memory.</summary>
    public long MaxPullBytes { get; set; } = 1L << 30;

    /// <summary>Registries (<c>host[:port]</c>) spoken to over plain http. Everything else uses https.</summary>
    public IList<string> PlainHttpRegistries { get; } = [];

    /// <summary>When true (default), loopback registries (127.x, localhost, [::1]) use plain http.</summary>
    public bool PlainHttpForLoopback { get; set; } = true;

    /// <summary>
    /// A PEM file of CA certificates that https registries must chain to instead of the system store
    /// (for a private registry with its own CA). Empty uses the system store.
    /// </summary>
    public string? CaCertificateFile { get; set; }
}
