using Conductor.Registry.Distribution;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Conductor.Registry.Tests.Distribution;

public sealed class RegistryServiceCollectionExtensionsTests
{
    [Fact]
    public void AddOciRegistryClient_ValidOptions_ResolvesOneClient()
    {
        using var provider = new ServiceCollection().AddOciRegistryClient(o => o.MaxAttempts = 2).BuildServiceProvider();

        var client = provider.GetRequiredService<OciRegistryClient>();

        Assert.Same(client, provider.GetRequiredService<OciRegistryClient>());
        Assert.Equal(2, provider.GetRequiredService<IOptions<OciRegistryOptions>>().Value.MaxAttempts);
    }

    [Fact]
    public void AddOciRegistryClient_InvalidOptions_ValidationNamesSetting()
    {
        using var provider = new ServiceCollection().AddOciRegistryClient(o => o.ChunkSize = 1).BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(
            () => provider.GetRequiredService<IOptions<OciRegistryOptions>>().Value);

        Assert.Contains("Registry:ChunkSize", error.Message);
    }
}
