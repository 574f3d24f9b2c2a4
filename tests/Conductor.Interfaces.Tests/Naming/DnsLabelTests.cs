using Conductor.Naming;

namespace Conductor.Interfaces.Tests.Naming;

/// <summary>The one RFC 1123 label check the compiler, the agent and the grains share.</summary>
public sealed class DnsLabelTests
{
    [Theory]
    [InlineData("a")]
    [InlineData("0")]
    [InlineData("9a")]
    [InlineData("ont-system")]
    [InlineData("cluster-a1")]
    [InlineData("a-b-c-9")]
    [InlineData("a--b")]
    public void IsValid_Label_True(string name) => Assert.True(DnsLabel.IsValid(name));

    [Theory]
    [InlineData("")]
    [InlineData("-")]
    [InlineData("-a")]
    [InlineData("a-")]
    [InlineData("A")]
    [InlineData("ccs-Dev")]
    [InlineData("Not_A_Namespace")]
    [InlineData("a.b")]
    [InlineData("a b")]
    [InlineData(" a")]
    [InlineData("ü")]
    [InlineData("cafe\u0301")]
    [InlineData("\u0430bc")] // Cyrillic 'а', which looks like the Latin 'a'
    [InlineData("\uff41")] // full-width 'a'
    [InlineData("abc\n")] // a regular expression's '$' accepts this trailing newline
    [InlineData("abc\r\n")]
    [InlineData("\nabc")]
    [InlineData("a\0")]
    public void IsValid_NotALabel_False(string name) => Assert.False(DnsLabel.IsValid(name));

    [Fact]
    public void IsValid_Null_False() => Assert.False(DnsLabel.IsValid(null));

    [Fact]
    public void IsValid_SixtyThreeCharacters_True() => Assert.True(DnsLabel.IsValid("a" + new string('-', DnsLabel.MaxLength - 2) + "z"));

    [Fact]
    public void IsValid_SixtyFourCharacters_False() => Assert.False(DnsLabel.IsValid(new string('a', DnsLabel.MaxLength + 1)));
}
