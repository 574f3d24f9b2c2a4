using Conductor.Registry.Auth;

namespace Conductor.Registry.Tests.Auth;

public sealed class DockerConfigCredentialProviderTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"docker-config-{Guid.NewGuid():N}.json");

    public void Dispose() => File.Delete(_path);

    [Fact]
    public void Find_AuthAndUsernamePasswordEntries_BothDecoded()
    {
        File.WriteAllText(_path, """
            {"auths":{
              "10.20.0.1:5000":{"auth":"dXNlcjpwYTpzcw=="},
              "https://registry.example.com/v1/":{"username":"bob","password":"pw"}
            }}
            """);

        var provider = DockerConfigCredentialProvider.Load(_path);

        Assert.Equal(new RegistryCredentials("user", "pa:ss"), provider.Find("10.20.0.1:5000"));
        Assert.Equal(new RegistryCredentials("bob", "pw"), provider.Find("registry.example.com"));
        Assert.Null(provider.Find("other.example.com"));
    }

    [Fact]
    public void Load_AuthNotBase64_ErrorNamesFileAndField()
    {
        File.WriteAllText(_path, """{"auths":{"r.example.com":{"auth":"%%%"}}}""");

        var error = Assert.Throws<FormatException>(() => DockerConfigCredentialProvider.Load(_path));

        Assert.Contains(_path, error.Message);
        Assert.Contains("auths.\"r.example.com\".auth is not valid base64", error.Message);
    }

    [Fact]
    public void Find_HelperOnlyEntry_ErrorSaysHelpersUnsupported()
    {
        File.WriteAllText(_path, """{"auths":{"r.example.com":{}},"credsStore":"desktop"}""");
        var provider = DockerConfigCredentialProvider.Load(_path);

        var error = Assert.Throws<InvalidOperationException>(() => provider.Find("r.example.com"));

        Assert.Contains("credential helpers are not supported", error.Message);
    }

    [Fact]
    public void ToString_Credentials_HidesPassword()
    {
        Assert.DoesNotContain("hunter2", new RegistryCredentials("u", "hunter2").ToString());
    }
}
