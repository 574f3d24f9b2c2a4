using Microsoft.Win32.SafeHandles;

namespace Conductor.Silo.Federation.AuditWal;

/// <summary>
/// Reads one segment's records in order, up to <c>limit</c> bytes, checking each against
/// <see cref="WalRecordFormat"/>. Stops at the first record that is not valid and says why, so callers never see
/// a record that was torn by a crash or damaged on disk.
/// </summary>
internal sealed class WalSegmentReader(SafeFileHandle file, ulong firstSequence, long limit)
{
    private readonly byte[] _header = new byte[WalRecordFormat.HeaderBytes];

    /// <summary>Offset just past the last valid record read so far.</summary>
    public long ValidLength { get; private set; }

    /// <summary>Sequence the next record must carry.</summary>
    public ulong NextSequence { get; private set; } = firstSequence;

    /// <summary>Why reading stopped before <c>limit</c>; null while clean.</summary>
    public string? Problem { get; private set; }

    public AuditWalRecord? ReadNext()
    {
        if (!HasHeader(RandomAccess.Read(file, _header, ValidLength)))
        {
            return null;
        }

        var payload = NewPayload();
        return payload is null ? null : Accept(payload, RandomAccess.Read(file, payload, ValidLength + _header.Length));
    }

    public async ValueTask<AuditWalRecord?> ReadNextAsync(CancellationToken cancellationToken)
    {
        if (!HasHeader(await RandomAccess.ReadAsync(file, _header, ValidLength, cancellationToken)))
        {
            return null;
        }

        var payload = NewPayload();
        return payload is null
            ? null
            : Accept(payload, await RandomAccess.ReadAsync(file, payload, ValidLength + _header.Length, cancellationToken));
    }

    private bool HasHeader(int read)
    {
        if (ValidLength == limit)
        {
            return false;
        }

        if (read < _header.Length || ValidLength + _header.Length > limit)
        {
            Problem = $"short record header ({Math.Min(read, limit - ValidLength)} of {_header.Length} bytes)";
            return false;
        }

        return true;
    }

    private byte[]? NewPayload()
    {
        var (length, _, sequence) = WalRecordFormat.ReadHeader(_header);
        if (length > WalRecordFormat.MaxPayloadBytes)
        {
            Problem = $"record length {length} exceeds the {WalRecordFormat.MaxPayloadBytes}-byte maximum";
            return null;
        }

        if (ValidLength + WalRecordFormat.RecordBytes(length) > limit)
        {
            Problem = $"short record: length {length} runs past the end of the segment";
            return null;
        }

        if (sequence != NextSequence)
        {
            Problem = $"sequence {sequence} where {NextSequence} was expected";
            return null;
        }

        return new byte[length];
    }

    private AuditWalRecord? Accept(byte[] payload, int read)
    {
        if (read < payload.Length)
        {
            Problem = $"short record payload ({read} of {payload.Length} bytes)";
            return null;
        }

        if (!WalRecordFormat.ChecksumMatches(_header, payload))
        {
            Problem = $"checksum mismatch in record {NextSequence}";
            return null;
        }

        var record = new AuditWalRecord(NextSequence, payload);
        ValidLength += WalRecordFormat.RecordBytes(payload.Length);
        NextSequence++;
        return record;
    }
}
