using Conductor.TestSupport.Registry;

namespace Conductor.Compiler.Tests.Commands;

/// <summary>One anonymous Debian docker-registry on loopback for the packbuild tests of a class.</summary>
public sealed class PackRegistryFixture : IAsyncLifetime
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
}
