using System.Net;
using Conductor.Registry.Auth;
using Conductor.Registry.Distribution;
using Conductor.Registry.Packaging;
using Conductor.TestSupport.Registry;

namespace Conductor.Registry.Tests.Auth;

/// <summary>Basic (htpasswd) and bearer-token auth against the real docker-registry.</summary>
public sealed class RegistryAuthenticatorTests
{
    private const string User = "packer";
    private const string Password = "s3cret-pass";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PushArtifactAsync_HtpasswdWithRightCredentials_PushesAndPulls()
    {
        await using var registry = await DockerRegistryProcess.StartAsync(new RegistryAuth.Htpasswd(User, Password), false, Ct);
        using var client = RegistryFixture.Client(credentials: Credentials(registry.Address, Password));
        var reference = OciReference.Parse($"{registry.Address}/packs/basic:v1-rbac");
        var artifact = PackLayerArtifact.Build("kind: ServiceAccount\n");

        var digest = await client.PushArtifactAsync(reference, artifact, Ct);
        var pulled = await client.PullArtifactAsync(reference.WithDigest(digest), Ct);

        Assert.Equal(artifact.Manifest.ToJson(), pulled.Manifest.Content);
    }

    [Fact]
    public async Task PushBlobAsync_HtpasswdWithWrongPassword_UnauthorizedSaysCheckCredentials()
    {
        await using var registry = await DockerRegistryProcess.StartAsync(new RegistryAuth.Htpasswd(User, Password), false, Ct);
        using var client = RegistryFixture.Client(credentials: Credentials(registry.Address, "wrong"));
        var repository = OciReference.ForRepository(registry.Address, "packs/basic");

        var error = await Assert.ThrowsAsync<RegistryException>(
            () => client.PushBlobAsync(repository, "x"u8.ToArray(), BlobUploadMode.Monolithic, Ct));

        Assert.Equal(RegistryFailure.Unauthorized, error.Failure);
        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
        Assert.Equal(registry.Address, error.Registry);
        Assert.StartsWith($"authentication failed for registry {registry.Address}", error.Message);
        Assert.EndsWith($"check the credentials for {registry.Address}", error.Message);
    }

    [Fact]
    public async Task GetManifestAsync_HtpasswdWithoutCredentials_UnauthorizedSaysProvideThem()
    {
        await using var registry = await DockerRegistryProcess.StartAsync(new RegistryAuth.Htpasswd(User, Password), false, Ct);
        using var client = RegistryFixture.Client();

        var error = await Assert.ThrowsAsync<RegistryException>(
            () => client.GetManifestAsync(OciReference.Parse($"{registry.Address}/packs/basic:v1"), Ct));

        Assert.Equal(RegistryFailure.Unauthorized, error.Failure);
        Assert.Contains($"no credentials are configured for {registry.Address}: provide them", error.Message);
    }

    [Fact]
    public async Task PushArtifactAsync_TokenAuth_RegistryAcceptsOurTokensAndCachesPerScope()
    {
        var directory = Directory.CreateTempSubdirectory("conductor-token-").FullName;
        try
        {
            await using var tokens = RegistryTokenServer.Start(directory, User, Password);
            await using var registry = await DockerRegistryProcess.StartAsync(
                new RegistryAuth.Token(tokens.Realm, tokens.RootCertBundlePath), false, Ct);
            using var client = RegistryFixture.Client(credentials: Credentials(registry.Address, Password));
            var reference = OciReference.Parse($"{registry.Address}/packs/token:v1-workload");
            var artifact = PackLayerArtifact.Build("kind: ConfigMap\n");

            var digest = await client.PushArtifactAsync(reference, artifact, Ct);
            var pulled = await client.PullArtifactAsync(reference.WithDigest(digest), Ct);

            Assert.Equal(artifact.Manifest.ToJson(), pulled.Manifest.Content);
            // One token for push (pull,push) and one for pull, each reused for every request in its scope.
            Assert.Equal(2, client.TokensFetched);
            Assert.Equal(2, tokens.TokensIssued);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task PushBlobAsync_TokenWithoutPushGrant_ForbiddenAfterOneRefresh()
    {
        var directory = Directory.CreateTempSubdirectory("conductor-token-").FullName;
        try
        {
            await using var tokens = RegistryTokenServer.Start(directory, User, Password);
            tokens.Grant = (_, actions) => [.. actions.Where(action => action == "pull")];
            await using var registry = await DockerRegistryProcess.StartAsync(
                new RegistryAuth.Token(tokens.Realm, tokens.RootCertBundlePath), false, Ct);
            using var client = RegistryFixture.Client(credentials: Credentials(registry.Address, Password));
            var repository = OciReference.ForRepository(registry.Address, "packs/token");

            var error = await Assert.ThrowsAsync<RegistryException>(
                () => client.PushBlobAsync(repository, "x"u8.ToArray(), BlobUploadMode.Monolithic, Ct));

            Assert.Equal(RegistryFailure.Forbidden, error.Failure);
            Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
            Assert.Contains("starting the upload", error.Message);
            Assert.Contains("insufficient_scope", error.Message);
            Assert.EndsWith("grant the credentials access to packs/token", error.Message);
            // The refused pull,push token is dropped and fetched once more, then the push gives up.
            Assert.Equal(3, tokens.TokensIssued);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task GetManifestAsync_TokenServiceRefusesPassword_UnauthorizedNamesTokenService()
    {
        var directory = Directory.CreateTempSubdirectory("conductor-token-").FullName;
        try
        {
            await using var tokens = RegistryTokenServer.Start(directory, User, Password);
            await using var registry = await DockerRegistryProcess.StartAsync(
                new RegistryAuth.Token(tokens.Realm, tokens.RootCertBundlePath), false, Ct);
            using var client = RegistryFixture.Client(credentials: Credentials(registry.Address, "wrong"));

            var error = await Assert.ThrowsAsync<RegistryException>(
                () => client.GetManifestAsync(OciReference.Parse($"{registry.Address}/packs/token:v1"), Ct));

            Assert.Equal(RegistryFailure.Unauthorized, error.Failure);
            Assert.Contains($"token service {tokens.Realm} answered 401", error.Message);
            Assert.Contains($"check the credentials for {registry.Address}", error.Message);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static StaticRegistryCredentialProvider Credentials(string registry, string password) =>
        StaticRegistryCredentialProvider.For(registry, new RegistryCredentials(User, password));
}
