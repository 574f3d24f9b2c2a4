using System.Text;
using Conductor.Silo.Federation.AuditWal;

namespace Conductor.Silo.Tests.Federation.AuditWal;

/// <summary>One group's members: each is its own awaitable, behind one source object.</summary>
public sealed class AppendGroupTests
{
    private static readonly TimeSpan Cap = TimeSpan.FromSeconds(10);

    [Fact]
    public void TryAdd_FullOrSealed_RefusesAndLeavesTheMembersAsTheyWere()
    {
        var group = new AppendGroup(2);
        Assert.True(group.TryAdd(Bytes("one"), CancellationToken.None, out _));
        group.Seal();
        Assert.False(group.TryAdd(Bytes("two"), CancellationToken.None, out _));

        var full = new AppendGroup(1);
        Assert.True(full.TryAdd(Bytes("one"), CancellationToken.None, out _));
        Assert.False(full.TryAdd(Bytes("two"), CancellationToken.None, out _));

        Assert.Equal((1, 1), (group.Count, full.Count));
        Assert.Equal("one", Encoding.UTF8.GetString(group.Payload(0).Span));
    }

    [Fact]
    public async Task Complete_EachMember_ResolvesOnlyItsOwnAwaitable()
    {
        var group = new AppendGroup(3);
        group.TryAdd(Bytes("a"), CancellationToken.None, out var a);
        group.TryAdd(Bytes("b"), CancellationToken.None, out var b);
        group.TryAdd(Bytes("c"), CancellationToken.None, out var c);
        var (ta, tb, tc) = (a.AsTask(), b.AsTask(), c.AsTask());
        Assert.True(group.TryClaim(0) && group.TryClaim(1) && group.TryClaim(2));

        group.Complete(1, 41);

        Assert.Equal(41UL, await tb.WaitAsync(Cap, Ct));
        Assert.False(ta.IsCompleted || tc.IsCompleted);
        group.Fail(0, new IOException("disk gone"));
        group.Complete(2, 42);
        Assert.Equal("disk gone", (await Assert.ThrowsAsync<IOException>(() => ta.WaitAsync(Cap, Ct))).Message);
        Assert.Equal(42UL, await tc.WaitAsync(Cap, Ct));
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);
}
