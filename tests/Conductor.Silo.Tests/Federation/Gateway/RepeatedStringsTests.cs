using System.Text;
using Conductor.Silo.Federation.Gateway;

namespace Conductor.Silo.Tests.Federation.Gateway;

public sealed class RepeatedStringsTests
{
    [Fact]
    public void Get_SameBytesAgain_ReturnsTheSameInstance()
    {
        var strings = new RepeatedStrings();

        var first = strings.Get("system:serviceaccount:ont-system:conductor"u8);
        var again = strings.Get(Encoding.UTF8.GetBytes("system:serviceaccount:ont-system:conductor"));
        var unicode = strings.Get(Encoding.UTF8.GetBytes("ünïcode 🚀"));

        Assert.Equal("system:serviceaccount:ont-system:conductor", first);
        Assert.Same(first, again);
        Assert.Equal("ünïcode 🚀", unicode);
        Assert.Same(unicode, strings.Get(Encoding.UTF8.GetBytes("ünïcode 🚀")));
        Assert.Same("", strings.Get([]));
    }

    [Fact]
    public void Get_LongerThanTheMaximum_DecodedButNotKept()
    {
        var strings = new RepeatedStrings();
        var bytes = Encoding.UTF8.GetBytes(new string('x', RepeatedStrings.MaxLength + 1));

        var first = strings.Get(bytes);

        Assert.Equal(new string('x', RepeatedStrings.MaxLength + 1), first);
        Assert.NotSame(first, strings.Get(bytes));
    }

    [Fact]
    public void Get_InvalidUtf8_RefusedNamingTheRule()
    {
        var strings = new RepeatedStrings();

        var error = Assert.Throws<EnvelopeRefusedException>(() => strings.Get([0x61, 0xC3, 0x28]));

        Assert.Equal("a string is not valid UTF-8", error.Message);
    }

    [Fact]
    public void Get_MoreDistinctValuesThanTheBound_EveryValueRightAtMostTheBoundKeptAndNewOnesWin()
    {
        var strings = new RepeatedStrings();
        var values = Enumerable.Range(0, RepeatedStrings.MaxEntries * 3).Select(i => $"value-{i}").ToList();

        var first = values.Select(v => strings.Get(Encoding.UTF8.GetBytes(v))).ToList();
        var kept = values.Where((v, i) => ReferenceEquals(first[i], strings.Get(Encoding.UTF8.GetBytes(v)))).Count();
        var recent = strings.Get(Encoding.UTF8.GetBytes(values[^1]));

        Assert.Equal(values, first);
        Assert.InRange(kept, 1, RepeatedStrings.MaxEntries);
        Assert.Same(recent, strings.Get(Encoding.UTF8.GetBytes(values[^1]))); // a value repeating now is kept
    }
}
