using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Conductor.Silo.Federation.Gateway;

namespace Conductor.Silo.Tests.Federation.Gateway;

public sealed class FederationBlockPoolTests
{
    [Fact]
    public void Rent_AfterABlockWasReturned_HandsOutThatBlockAgain()
    {
        using var pool = new FederationBlockPool();
        var first = pool.Rent();
        var array = ArrayOf(first);
        first.Dispose();

        Assert.Equal(1, pool.IdleBlocks);
        using var second = pool.Rent();
        Assert.Same(array, ArrayOf(second));
        Assert.Equal(0, pool.IdleBlocks);
        Assert.Equal(FederationBlockPool.BlockSize, second.Memory.Length);
    }

    [Fact]
    public void Return_MoreBlocksThanTheCap_KeepsOnlyTheCapIdle()
    {
        using var pool = new FederationBlockPool();
        var rented = Enumerable.Range(0, FederationBlockPool.MaxIdleBlocks + 100).Select(_ => pool.Rent()).ToList();
        var arrays = rented.Select(ArrayOf).ToHashSet(ReferenceEqualityComparer.Instance);

        rented.ForEach(block => block.Dispose());

        Assert.Equal(FederationBlockPool.MaxIdleBlocks, pool.IdleBlocks);
        var again = Enumerable.Range(0, FederationBlockPool.MaxIdleBlocks).Select(_ => pool.Rent()).ToList();
        Assert.All(again, block => Assert.Contains(ArrayOf(block), arrays)); // every idle block was one of those returned
        Assert.DoesNotContain(ArrayOf(pool.Rent()), arrays); // and the pool is empty now: the next one is new
    }

    [Fact]
    public void Return_BeyondTheCap_TheBlockIsLeftToTheGarbageCollector()
    {
        using var pool = new FederationBlockPool();
        var kept = Enumerable.Range(0, FederationBlockPool.MaxIdleBlocks).Select(_ => pool.Rent()).ToList();
        var dropped = RentAndReturnOneMore(pool, kept);

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        Assert.False(dropped.IsAlive);
        Assert.Equal(FederationBlockPool.MaxIdleBlocks, pool.IdleBlocks);
    }

    [Fact]
    public void Dispose_TwiceOnOneBlock_PoolsItOnce()
    {
        using var pool = new FederationBlockPool();
        var block = pool.Rent();

        block.Dispose();
        block.Dispose();

        Assert.Equal(1, pool.IdleBlocks);
        using var first = pool.Rent();
        using var second = pool.Rent();
        Assert.NotSame(ArrayOf(first), ArrayOf(second));
    }

    [Fact]
    public void Rent_MoreThanABlock_Throws()
    {
        using var pool = new FederationBlockPool();

        Assert.Equal(FederationBlockPool.BlockSize, pool.MaxBufferSize);
        Assert.Throws<ArgumentOutOfRangeException>(() => pool.Rent(FederationBlockPool.BlockSize + 1));
    }

    [Fact]
    public void Dispose_Pool_DropsIdleBlocksAndKeepsNoneReturnedLater()
    {
        var pool = new FederationBlockPool();
        var outstanding = pool.Rent();
        pool.Rent().Dispose();

        pool.Dispose();
        outstanding.Dispose();

        Assert.Equal(0, pool.IdleBlocks);
        Assert.Throws<ObjectDisposedException>(() => pool.Rent());
    }

    // Returns the kept blocks (they fill the pool to its cap), then one more: a weak reference to the array the cap turned away.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference RentAndReturnOneMore(FederationBlockPool pool, List<System.Buffers.IMemoryOwner<byte>> kept)
    {
        var extra = pool.Rent();
        var reference = new WeakReference(ArrayOf(extra));
        kept.ForEach(block => block.Dispose());
        extra.Dispose();
        return reference;
    }

    private static byte[] ArrayOf(System.Buffers.IMemoryOwner<byte> block) =>
        MemoryMarshal.TryGetArray<byte>(block.Memory, out var segment) ? segment.Array! : throw new InvalidOperationException("not array-backed");
}
