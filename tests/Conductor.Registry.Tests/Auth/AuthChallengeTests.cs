using Conductor.Registry.Auth;

namespace Conductor.Registry.Tests.Auth;

public sealed class AuthChallengeTests
{
    [Fact]
    public void Parse_BearerWithQuotedCommaScope_KeepsWholeScope()
    {
        var challenge = AuthChallenge.Parse("Bearer",
            "realm=\"https://auth.example.com/token\",service=\"registry.example.com\"," +
            "scope=\"repository:packs/x:pull,push\",error=\"insufficient_scope\"");

        Assert.True(challenge.IsBearer);
        Assert.Equal("https://auth.example.com/token", challenge.Realm);
        Assert.Equal("registry.example.com", challenge.Service);
        Assert.Equal("repository:packs/x:pull,push", challenge.Scope);
        Assert.Equal("insufficient_scope", challenge.Error);
    }

    [Fact]
    public void Parse_BasicUnquotedRealm_ReadsRealm()
    {
        var challenge = AuthChallenge.Parse("Basic", "realm=registry");

        Assert.True(challenge.IsBasic);
        Assert.Equal("registry", challenge.Realm);
    }
}
