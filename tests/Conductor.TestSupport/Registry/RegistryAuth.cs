namespace Conductor.TestSupport.Registry;

/// <summary>How a <see cref="DockerRegistryProcess"/> authenticates clients.</summary>
public abstract record RegistryAuth
{
    /// <summary>Anonymous access.</summary>
    public static RegistryAuth None { get; } = new Anonymous();

    /// <summary>No authentication.</summary>
    public sealed record Anonymous : RegistryAuth;

    /// <summary>Basic auth against an htpasswd file with one bcrypt user.</summary>
    public sealed record Htpasswd(string Username, string Password) : RegistryAuth;

    /// <summary>Docker token auth: the registry trusts tokens from <paramref name="Realm"/> signed by the bundle.</summary>
    public sealed record Token(string Realm, string RootCertBundlePath) : RegistryAuth;
}
