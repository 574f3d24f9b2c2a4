using Conductor.Registry.Auth;
using Conductor.Registry.Distribution;
using Conductor.TestSupport.Registry;

namespace Conductor.Registry.Tests;

/// <summary>One anonymous docker-registry per test class that asks for it.</summary>
public sealed class RegistryFixture : IAsyncLifetime
{
    private DockerRegistryProcess? _registry;

    public DockerRegistryProcess Registry => _registry ?? throw new InvalidOperationException("registry not started");

    public async ValueTask InitializeAsync() => _registry = await DockerRegistryProcess.StartAsync();

    public async ValueTask DisposeAsync()
    {
        if (_registry is not null)
        {
            await _registry.DisposeAsync();
        }
    }

    /// <summary>A unique repository on this registry, so tests never see each other's blobs.</summary>
    public OciReference NewRepository(string prefix = "test") =>
        OciReference.ForRepository(Registry.Address, $"{prefix}/{Guid.NewGuid():N}");

    /// <summary>Options with tiny retry delays so failure tests stay fast.</summary>
    public static OciRegistryOptions FastOptions(int chunkSize = 5 * 1024 * 1024) => new()
    {
        MaxAttempts = 3,
        InitialRetryDelay = TimeSpan.FromMilliseconds(1),
        MaxRetryDelay = TimeSpan.FromMilliseconds(5),
        ChunkSize = chunkSize,
    };

    public static OciRegistryClient Client(OciRegistryOptions? options = null, IRegistryCredentialProvider? credentials = null) =>
        OciRegistryClient.Create(options ?? FastOptions(), credentials);
}
