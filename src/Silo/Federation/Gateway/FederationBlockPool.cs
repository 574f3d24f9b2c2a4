using System.Buffers;
using System.Collections.Concurrent;

namespace Conductor.Silo.Federation.Gateway;

/// <summary>
/// The memory pool of the federation connections' TLS and HTTP/2 pipes: 4 KiB blocks, as Kestrel's own pool, but it
/// keeps at most <see cref="MaxIdleBlocks"/> returned blocks and lets the rest go to the GC at once. Kestrel's pool
/// keeps every block it ever handed out and evicts 1-5% of them every 10 s, so a burst of a thousand tenants
/// connecting left ~8 KB of idle blocks per tenant for tens of minutes (session 6). Capped, the idle memory is at most
/// 1 MiB whatever the fleet, and a busy stream still reuses its blocks.
/// </summary>
internal sealed class FederationBlockPool : MemoryPool<byte>
{
    /// <summary>The block size of Kestrel's pool: the pipes size their segments by <see cref="MaxBufferSize"/>.</summary>
    public const int BlockSize = 4096;

    /// <summary>256 blocks (1 MiB): well above what a few streams at full audit rate keep in flight.</summary>
    public const int MaxIdleBlocks = 256;

    private readonly ConcurrentQueue<Block> _idle = new();
    private int _idleCount;
    private volatile bool _disposed;

    public override int MaxBufferSize => BlockSize;

    /// <summary>Returned blocks kept for reuse.</summary>
    public int IdleBlocks => Volatile.Read(ref _idleCount);

    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minBufferSize, BlockSize);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_idle.TryDequeue(out var block))
        {
            Interlocked.Decrement(ref _idleCount);
            block.Rented = true;
            return block;
        }

        // Not pinned (Kestrel pins its blocks for socket I/O): these carry TLS and HTTP/2 data, never a socket buffer.
        return new Block(this, GC.AllocateUninitializedArray<byte>(BlockSize));
    }

    private void Return(Block block)
    {
        if (_disposed)
        {
            return;
        }

        // A place is taken before the block is queued, so concurrent returns never queue more than the cap.
        if (Interlocked.Increment(ref _idleCount) > MaxIdleBlocks)
        {
            Interlocked.Decrement(ref _idleCount);
            return;
        }

        _idle.Enqueue(block);
    }

    protected override void Dispose(bool disposing)
    {
        _disposed = true;
        _idle.Clear();
        Volatile.Write(ref _idleCount, 0);
    }

    /// <summary>A block and its owner in one object, reused with the array, so a pooled rent allocates nothing.</summary>
    private sealed class Block(FederationBlockPool pool, byte[] array) : IMemoryOwner<byte>
    {
        public bool Rented { get; set; } = true;

        public Memory<byte> Memory { get; } = array;

        public void Dispose()
        {
            // A second dispose must not put the block in the pool twice (two renters would share it).
            if (Rented)
            {
                Rented = false;
                pool.Return(this);
            }
        }
    }
}
