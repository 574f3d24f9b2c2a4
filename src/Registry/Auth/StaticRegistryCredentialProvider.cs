namespace Conductor.Registry.Auth;

/// <summary>Credentials given up front, keyed by registry <c>host[:port]</c> (case-insensitive).</summary>
public sealed class StaticRegistryCredentialProvider : IRegistryCredentialProvider
{
    private readonly Dictionary<string, RegistryCredentials> _byRegistry;

    /// <summary>Creates the provider.</summary>
    public StaticRegistryCredentialProvider(IEnumerable<KeyValuePair<string, RegistryCredentials>> byRegistry) =>
        _byRegistry = new Dictionary<string, RegistryCredentials>(byRegistry, StringComparer.OrdinalIgnoreCase);

    /// <summary>A provider with one registry's credentials.</summary>
    public static StaticRegistryCredentialProvider For(string registry, RegistryCredentials credentials) =>
        new([new(registry, credentials)]);

    /// <inheritdoc />
    public RegistryCredentials? Find(string registry) => _byRegistry.GetValueOrDefault(registry);
}
