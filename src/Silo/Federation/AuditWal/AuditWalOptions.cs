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

    /// <summary>Default <see cref="LiveTailRecords"/>: a burst of a few seconds' audit events.</summary>
    public const int DefaultLiveTailRecords = 131_072;

    /// <summary>Default <see cref="LiveTailBytes"/>: 8 MiB.</summary>
    public const long DefaultLiveTailBytes = 8L * 1024 * 1024;

    /// <summary>
    /// Most recent durable, unacknowledged records kept in memory for the live sender, which then never reads them
    /// back from the file (also capped by <see cref="LiveTailBytes"/>). Records that fall out are read from the
    /// file; acknowledged ones leave at once. At least 1.
    /// </summary>
    public int LiveTailRecords { get; set; } = DefaultLiveTailRecords;

    /// <summary>Cap on the payload bytes the live tail holds (see <see cref="LiveTailRecords"/>). At least 1.</summary>
    public long LiveTailBytes { get; set; } = DefaultLiveTailBytes;

    /// <summary>The raw <c>WAL_MAX_BYTES</c> value when it was not a whole number; reported by the validator.</summary>
    internal string? UnparsableMaxBytes { get; set; }

    internal long EffectiveSegmentBytes =>
        SegmentBytes > 0 ? SegmentBytes : Math.Clamp(MaxBytes / 8, 1024, DefaultMaxSegmentBytes);
}
