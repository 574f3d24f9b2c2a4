using Conductor.Silo.Startup;

namespace Conductor.Silo.Tests.Startup;

/// <summary>The hand-written RFC 1123 label check that replaced the agent's start-up regular expressions.</summary>
public sealed class DnsLabelTests
{
    [Theory]
    [InlineData("a")]
    [InlineData("0")]
    [InlineData("ont-system")]
    [InlineData("cluster-a1")]
    [InlineData("a-b-c-9")]
    public void IsValid_Label_True(string name) => Assert.True(DnsLabel.IsValid(name));

    [Theory]
    [InlineData("")]
    [InlineData("-a")]
    [InlineData("a-")]
    [InlineData("A")]
    [InlineData("Not_A_Namespace")]
    [InlineData("a.b")]
    [InlineData("a b")]
    [InlineData("ü")]
    [InlineData("abc\n")]
    public void IsValid_NotALabel_False(string name) => Assert.False(DnsLabel.IsValid(name));

    [Fact]
    public void IsValid_Null_False() => Assert.False(DnsLabel.IsValid(null));

    [Fact]
    public void IsValid_SixtyThreeCharacters_True() => Assert.True(DnsLabel.IsValid(new string('a', DnsLabel.MaxLength)));

    [Fact]
    public void IsValid_SixtyFourCharacters_False() => Assert.False(DnsLabel.IsValid(new string('a', DnsLabel.MaxLength + 1)));
}
