namespace Conductor.Silo.Federation.AuditWal;

/// <summary>Where the tenant agent keeps audit events until management acknowledges them.</summary>
public sealed class AuditWalOptions
{
    /// <summary>Environment variable naming the WAL directory.</summary>
    public const string PathVariable = "WAL_PATH";

    /// <summary>Environment variable capping the WAL's bytes on the volume.</summary>
    public const string MaxBytesVariable = "WAL_MAX_BYTES";

    /// <summary>Default <see cref="Path"/>: a directory on the agent's persistent volume.</summary>
    public const string DefaultPath = "/var/lib/conductor/federation-wal";

    /// <summary>Default <see cref="MaxBytes"/>: 100 MiB.</summary>
    public const long DefaultMaxBytes = 100L * 1024 * 1024;

    /// <summary>Smallest accepted <see cref="MaxBytes"/>.</summary>
    public const long MinMaxBytes = 4096;

    /// <summary>Largest segment the WAL rolls to when <see cref="SegmentBytes"/> is not set.</summary>
    public const long DefaultMaxSegmentBytes = 8L * 1024 * 1024;

    /// <summary>
    /// Directory holding the segment files and the acknowledged-sequence file (<c>WAL_PATH</c>). It must
    /// survive a restart of the pod (a volume), or acknowledged durability means nothing.
    /// </summary>
    public string Path { get; set; } = DefaultPath;

    /// <summary>
    /// Cap on the bytes the WAL occupies (<c>WAL_MAX_BYTES</c>, decimal). When the next record would pass it,
    /// appends wait for acknowledgements to free space (back-pressure) and the WAL reports itself full.
    /// </summary>
    public long MaxBytes { get; set; } = DefaultMaxBytes;

    /// <summary>
    /// Size at which the WAL starts a new segment file. Acknowledged records are reclaimed a whole segment at a
    /// time, so smaller segments free space sooner. 0 means an eighth of <see cref="MaxBytes"/>, at most 8 MiB.
    /// </summary>
    public long SegmentBytes { get; set; }

    /// <summary>Default <see cref="LiveTailRecords"/>.</summary>
    public const int DefaultLiveTailRecords = 16384;

    /// <summary>
    /// Most recent durable records kept in memory for the live sender, which then never reads them back from the
    /// file (also capped at 8 MiB of payload). Records that fall out are read from the file. At least 1.
    /// </summary>
    public int LiveTailRecords { get; set; } = DefaultLiveTailRecords;

    /// <summary>The raw <c>WAL_MAX_BYTES</c> value when it was not a whole number; reported by the validator.</summary>
    internal string? UnparsableMaxBytes { get; set; }

    internal long EffectiveSegmentBytes =>
        SegmentBytes > 0 ? SegmentBytes : Math.Clamp(MaxBytes / 8, 1024, DefaultMaxSegmentBytes);
}
