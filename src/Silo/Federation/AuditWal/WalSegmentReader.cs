using Microsoft.Win32.SafeHandles;

namespace Conductor.Silo.Federation.AuditWal;

/// <summary>
/// Reads one segment's records in order, up to <c>limit</c> bytes, checking each against
/// <see cref="WalRecordFormat"/>. Stops at the first record that is not valid and says why, so callers never see
/// a record that was torn by a crash or damaged on disk.
/// </summary>
internal sealed class WalSegmentReader(SafeFileHandle file, ulong firstSequence, long limit)
{
    /// <summary>Bytes read from the file at once: two reads per record cost more than the records themselves.</summary>
    private const int WindowBytes = 256 * 1024;

    private byte[] _window = [];
    private long _windowOffset;
    private int _windowCount;

    /// <summary>Offset just past the last valid record read so far.</summary>
    public long ValidLength { get; private set; }

    /// <summary>Sequence the next record must carry.</summary>
    public ulong NextSequence { get; private set; } = firstSequence;

    /// <summary>Why reading stopped before <c>limit</c>; null while clean.</summary>
    public string? Problem { get; private set; }

    public AuditWalRecord? ReadNext()
    {
        if (!HasHeader(Buffered(WalRecordFormat.HeaderBytes) ?? Load(WalRecordFormat.HeaderBytes)))
        {
            return null;
        }

        var length = PayloadLength();
        return length < 0 ? null : Accept(length, Buffered(WalRecordFormat.HeaderBytes + length) ?? Load(WalRecordFormat.HeaderBytes + length), copy: true);
    }

    public ValueTask<AuditWalRecord?> ReadNextAsync(CancellationToken cancellationToken) => NextAsync(copy: true, cancellationToken);

    /// <summary>
    /// Checks and passes over the records before <paramref name="sequence"/> without copying their payloads. False
    /// when the segment ended (or a record was not valid, see <see cref="Problem"/>) first.
    /// </summary>
    public async ValueTask<bool> SkipToAsync(ulong sequence, CancellationToken cancellationToken)
    {
        while (NextSequence < sequence)
        {
            if (await NextAsync(copy: false, cancellationToken) is null)
            {
                return false;
            }
        }

        return true;
    }

    private async ValueTask<AuditWalRecord?> NextAsync(bool copy, CancellationToken cancellationToken)
    {
        if (!HasHeader(Buffered(WalRecordFormat.HeaderBytes) ?? await LoadAsync(WalRecordFormat.HeaderBytes, cancellationToken)))
        {
            return null;
        }

        var length = PayloadLength();
        return length < 0
            ? null
            : Accept(length, Buffered(WalRecordFormat.HeaderBytes + length) ?? await LoadAsync(WalRecordFormat.HeaderBytes + length, cancellationToken), copy);
    }

    /// <summary>Bytes from <see cref="ValidLength"/> the window holds when that is at least <paramref name="count"/>; null otherwise.</summary>
    private int? Buffered(int count)
    {
        var held = _windowOffset + _windowCount - ValidLength;
        return ValidLength >= _windowOffset && held >= count ? (int)held : null;
    }

    /// <summary>Reads a window starting at <see cref="ValidLength"/>; returns how many bytes it holds (fewer than asked at the end).</summary>
    private int Load(int count)
    {
        var window = Window(count);
        while (_windowCount < window.Length && RandomAccess.Read(file, window.Span[_windowCount..], _windowOffset + _windowCount) is > 0 and var read)
        {
            _windowCount += read;
            if (_windowCount >= count)
            {
                break;
            }
        }

        return _windowCount;
    }

    private async ValueTask<int> LoadAsync(int count, CancellationToken cancellationToken)
    {
        var window = Window(count);
        while (_windowCount < window.Length && await RandomAccess.ReadAsync(file, window[_windowCount..], _windowOffset + _windowCount, cancellationToken) is > 0 and var read)
        {
            _windowCount += read;
            if (_windowCount >= count)
            {
                break;
            }
        }

        return _windowCount;
    }

    private Memory<byte> Window(int count)
    {
        // Never past the limit: bytes beyond it belong to appends the caller's snapshot does not include.
        var size = (int)Math.Min(Math.Max(count, WindowBytes), Math.Max(0, limit - ValidLength));
        if (_window.Length < size)
        {
            _window = new byte[Math.Max(size, WindowBytes)];
        }

        (_windowOffset, _windowCount) = (ValidLength, 0);
        return _window.AsMemory(0, size);
    }

    private ReadOnlySpan<byte> Header => _window.AsSpan((int)(ValidLength - _windowOffset), WalRecordFormat.HeaderBytes);

    private bool HasHeader(int read)
    {
        if (ValidLength == limit)
        {
            return false;
        }

        if (read < WalRecordFormat.HeaderBytes || ValidLength + WalRecordFormat.HeaderBytes > limit)
        {
            Problem = $"short record header ({Math.Min(read, limit - ValidLength)} of {WalRecordFormat.HeaderBytes} bytes)";
            return false;
        }

        return true;
    }

    /// <summary>The payload length of the record at <see cref="ValidLength"/>, or -1 when its header is not valid.</summary>
    private int PayloadLength()
    {
        var (length, _, sequence) = WalRecordFormat.ReadHeader(Header);
        if (length > WalRecordFormat.MaxPayloadBytes)
        {
            Problem = $"record length {length} exceeds the {WalRecordFormat.MaxPayloadBytes}-byte maximum";
            return -1;
        }

        if (ValidLength + WalRecordFormat.RecordBytes(length) > limit)
        {
            Problem = $"short record: length {length} runs past the end of the segment";
            return -1;
        }

        if (sequence != NextSequence)
        {
            Problem = $"sequence {sequence} where {NextSequence} was expected";
            return -1;
        }

        return length;
    }

    /// <summary>The record at <see cref="ValidLength"/> when valid; its payload is empty unless <paramref name="copy"/>.</summary>
    private AuditWalRecord? Accept(int length, int available, bool copy)
    {
        if (available < WalRecordFormat.HeaderBytes + length)
        {
            Problem = $"short record payload ({available - WalRecordFormat.HeaderBytes} of {length} bytes)";
            return null;
        }

        var start = (int)(ValidLength - _windowOffset);
        var payload = _window.AsSpan(start + WalRecordFormat.HeaderBytes, length);
        if (!WalRecordFormat.ChecksumMatches(_window.AsSpan(start, WalRecordFormat.HeaderBytes), payload))
        {
            Problem = $"checksum mismatch in record {NextSequence}";
            return null;
        }

        var record = new AuditWalRecord(NextSequence, copy ? payload.ToArray() : ReadOnlyMemory<byte>.Empty);
        ValidLength += WalRecordFormat.RecordBytes(length);
        NextSequence++;
        return record;
    }
}
