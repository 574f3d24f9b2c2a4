namespace Conductor.Registry.Auth;

/// <summary>Finds the credentials to use for a registry, by its exact <c>host[:port]</c>.</summary>
public interface IRegistryCredentialProvider
{
    /// <summary>The credentials for <paramref name="registry"/>, or null to go anonymous.</summary>
    RegistryCredentials? Find(string registry);
}
