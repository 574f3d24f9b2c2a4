using System.Net;
using Conductor.Registry.Distribution;
using Conductor.TestSupport.Network;
using Conductor.TestSupport.Registry;

namespace Conductor.Registry.Tests.Distribution;

/// <summary>Retries and failure messages, against loopback servers that fail on purpose.</summary>
public sealed class RegistryTransportTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SendAsync_ClosedPort_UnreachableAfterBoundedAttempts()
    {
        using var client = RegistryFixture.Client();
        var repository = OciReference.ForRepository($"127.0.0.1:{FreePort.Next()}", "packs/x");

        var error = await Assert.ThrowsAsync<RegistryException>(
            () => client.PushBlobAsync(repository, "x"u8.ToArray(), BlobUploadMode.Monolithic, Ct));

        Assert.Equal(RegistryFailure.Unreachable, error.Failure);
        Assert.Equal(3, error.Attempts);
        Assert.Null(error.StatusCode);
        Assert.StartsWith($"cannot reach registry {repository.Registry}: connection refused", error.Message);
        Assert.Contains("after 3 attempt(s)", error.Message);
    }

    [Fact]
    public async Task SendAsync_ServerAlways503_ServerErrorAfterEveryAttempt()
    {
        await using var server = LoopbackHttpServer.AlwaysStatus(HttpStatusCode.ServiceUnavailable);
        using var client = RegistryFixture.Client();
        var reference = OciReference.Parse($"{server.Address}/packs/x:v1");

        var error = await Assert.ThrowsAsync<RegistryException>(() => client.GetManifestAsync(reference, Ct));

        Assert.Equal(RegistryFailure.ServerError, error.Failure);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, error.StatusCode);
        Assert.Equal(3, error.Attempts);
        Assert.Equal(3, server.Requests);
        Assert.StartsWith($"registry {server.Address} failed with 503 after 3 attempt(s) while getting manifest", error.Message);
    }

    [Theory]
    [InlineData(HttpStatusCode.NotFound, RegistryFailure.NotFound)]
    [InlineData(HttpStatusCode.BadRequest, RegistryFailure.Rejected)]
    [InlineData(HttpStatusCode.Forbidden, RegistryFailure.Forbidden)]
    [InlineData(HttpStatusCode.InternalServerError, RegistryFailure.ServerError)]
    public async Task SendAsync_NonTransientStatus_NotRetried(HttpStatusCode status, RegistryFailure failure)
    {
        await using var server = LoopbackHttpServer.AlwaysStatus(status);
        using var client = RegistryFixture.Client();
        var reference = OciReference.Parse($"{server.Address}/packs/x:v1");

        var error = await Assert.ThrowsAsync<RegistryException>(() => client.GetManifestAsync(reference, Ct));

        Assert.Equal(failure, error.Failure);
        Assert.Equal(1, server.Requests);
        Assert.Equal(1, error.Attempts);
        Assert.Contains(server.Address, error.Message);
    }

    [Fact]
    public async Task SendAsync_TransientThenSuccess_ReturnsAnswer()
    {
        var calls = 0;
        await using var server = LoopbackHttpServer.Start(context =>
        {
            context.Response.StatusCode = Interlocked.Increment(ref calls) == 1 ? 502 : 404;
            context.Response.Close();
            return Task.CompletedTask;
        });
        using var client = RegistryFixture.Client();
        var repository = OciReference.ForRepository(server.Address, "packs/x");

        var exists = await client.BlobExistsAsync(repository, OciDigest.Compute("x"u8), Ct);

        Assert.False(exists);
        Assert.Equal(2, server.Requests);
    }

    [Fact]
    public async Task SendAsync_HttpsWithoutTrustedCa_UnreachableNamesTlsFix()
    {
        // A plain-http listener spoken to over https fails the handshake: the error must say how to fix it.
        await using var server = LoopbackHttpServer.AlwaysStatus(HttpStatusCode.OK);
        var options = RegistryFixture.FastOptions();
        options.PlainHttpForLoopback = false;
        using var client = RegistryFixture.Client(options);
        var reference = OciReference.Parse($"{server.Address}/packs/x:v1");

        var error = await Assert.ThrowsAsync<RegistryException>(() => client.GetManifestAsync(reference, Ct));

        Assert.Equal(RegistryFailure.Unreachable, error.Failure);
        Assert.Contains($"cannot reach registry {server.Address}", error.Message);
        Assert.Contains("PlainHttpRegistries", error.Message);
    }

    [Fact]
    public async Task SendAsync_CallerCancelsWhileWaiting_CancelledWithoutRetry()
    {
        var received = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = LoopbackHttpServer.Start(async context =>
        {
            received.TrySetResult();
            await release.Task;
            context.Response.Close();
        });
        using var client = RegistryFixture.Client();
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var pending = client.GetManifestAsync(OciReference.Parse($"{server.Address}/packs/x:v1"), cancellation.Token);

        await received.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);
        release.TrySetResult();
        Assert.Equal(1, server.Requests);
    }
}
