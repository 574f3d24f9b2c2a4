using System.Runtime.InteropServices;
using Conductor.Silo.Federation.AuditWal;

namespace Conductor.Silo.Tests.Federation.AuditWal;

public sealed class PayloadSlabsTests
{
    [Fact]
    public async Task Take_ConcurrentCallersFillingTheirSlices_EachKeepsItsOwnBytesAcrossSlabs()
    {
        var slabs = new PayloadSlabs();
        var slices = new Memory<byte>[4 * 5000];

        // Enough bytes for several slabs; each caller writes its index into its slice.
        await Parallel.ForAsync(0, slices.Length, TestContext.Current.CancellationToken, (i, _) =>
        {
            var slice = slabs.Take(100 + (i % 200));
            slice.Span.Fill((byte)i);
            slices[i] = slice;
            return ValueTask.CompletedTask;
        });

        for (var i = 0; i < slices.Length; i++)
        {
            Assert.Equal(100 + (i % 200), slices[i].Length);
            Assert.All(slices[i].ToArray(), b => Assert.Equal((byte)i, b));
        }

        var slabsUsed = slices.Select(s => MemoryMarshal.TryGetArray<byte>(s, out var segment) ? segment.Array : null).Distinct().Count();
        Assert.InRange(slabsUsed, 2, slices.Length / 100);
    }

    [Fact]
    public void Take_PayloadOverTheSliceLimit_GetsAnArrayOfItsOwn()
    {
        var slabs = new PayloadSlabs();

        var large = slabs.Take(PayloadSlabs.MaxSlicedBytes + 1);

        Assert.True(MemoryMarshal.TryGetArray<byte>(large, out var segment));
        Assert.Equal(PayloadSlabs.MaxSlicedBytes + 1, segment.Array!.Length);
    }
}
