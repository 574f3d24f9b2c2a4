using Conductor.Naming;

namespace Conductor.Interfaces.Tests.Naming;

/// <summary>The one RFC 1123 subdomain check (object names such as <c>pack-v1.2.3-r1</c>) the programs share.</summary>
public sealed class DnsSubdomainTests
{
    [Theory]
    [InlineData("a")]
    [InlineData("pack-v1.2.3-r1")]
    [InlineData("conductor-membership-ccs-mgmt")]
    [InlineData("a.b.c")]
    [InlineData("0.0")]
    public void IsValid_Subdomain_True(string name) => Assert.True(DnsSubdomain.IsValid(name));

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData(".a")]
    [InlineData("a.")]
    [InlineData("a..b")]
    [InlineData("a.-b")]
    [InlineData("a-.b")]
    [InlineData("A.b")]
    [InlineData("a_b")]
    [InlineData("ü.a")]
    [InlineData("a.b\n")] // a regular expression's '$' accepts this trailing newline
    public void IsValid_NotASubdomain_False(string name) => Assert.False(DnsSubdomain.IsValid(name));

    [Fact]
    public void IsValid_Null_False() => Assert.False(DnsSubdomain.IsValid(null));

    [Fact]
    public void IsValid_TwoHundredFiftyThreeCharacters_True() =>
        Assert.True(DnsSubdomain.IsValid(string.Join('.', Enumerable.Repeat(new string('a', 62), 4)) + ".a")); // 4 × 63 + 1

    [Fact]
    public void IsValid_TwoHundredFiftyFourCharacters_False() =>
        Assert.False(DnsSubdomain.IsValid(string.Join('.', Enumerable.Repeat(new string('a', 62), 4)) + ".ab"));

    [Fact]
    public void IsValid_OneLabelLongerThanSixtyThree_TrueAsInKubernetes() => Assert.True(DnsSubdomain.IsValid(new string('a', 100)));
}
