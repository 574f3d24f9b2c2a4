namespace Conductor.Silo.Federation.AuditWal;

/// <summary>
/// Hands out payload buffers as slices of large shared arrays instead of one array per event. An audit event stays
/// in memory from its append until it is sent and falls out of the WAL's live tail, long enough for the young
/// generation to be collected several times meanwhile; one small array per event would be copied by each of those
/// collections, while a slab lives on the large-object heap, holds no references and is never moved. A slab is
/// never written twice over (slices only move forward), so a slice handed out stays as written; the GC frees a
/// slab once no slice of it is referenced. Thread-safe.
/// </summary>
internal sealed class PayloadSlabs
{
    /// <summary>Bytes per slab: well above the large-object threshold (85 000 bytes).</summary>
    internal const int SlabBytes = 1024 * 1024;

    /// <summary>Payloads larger than this get an array of their own, so a slab is never mostly wasted.</summary>
    internal const int MaxSlicedBytes = 16 * 1024;

    private readonly Lock _lock = new();
    private byte[] _slab = [];
    private int _used;

    /// <summary>A buffer of exactly <paramref name="length"/> bytes, for the caller to fill once.</summary>
    public Memory<byte> Take(int length)
    {
        if (length > MaxSlicedBytes)
        {
            return new byte[length];
        }

        lock (_lock)
        {
            if (_slab.Length - _used < length)
            {
                _slab = GC.AllocateUninitializedArray<byte>(SlabBytes);
                _used = 0;
            }

            var slice = _slab.AsMemory(_used, length);
            _used += length;
            return slice;
        }
    }
}
