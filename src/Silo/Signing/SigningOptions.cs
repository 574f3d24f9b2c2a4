using Microsoft.Extensions.Configuration;

namespace Conductor.Silo.Signing;

/// <summary>Management signing settings, bound from environment variables of the same name.</summary>
public sealed class SigningOptions
{
    public const string PrivateKeyPathEnvVar = "SIGNING_PRIVATE_KEY_PATH";
    public const string KeyReloadSecondsEnvVar = "SIGNING_KEY_RELOAD_SECONDS";
    public const string ConcurrencyEnvVar = "SIGNING_CONCURRENCY";
    public const string NamespaceEnvVar = "SIGNING_NAMESPACE";

    /// <summary>
    /// The Ed25519 PKCS#8 PEM signing key (<c>SIGNING_PRIVATE_KEY_PATH</c>), a file mounted from a Secret. Unset turns
    /// signing off (logged at start). Replacing the file's content rotates the key: everything is re-signed with it.
    /// </summary>
    [ConfigurationKeyName(PrivateKeyPathEnvVar)]
    public string? PrivateKeyPath { get; set; }

    /// <summary>How often the key file is checked for a new key (<c>SIGNING_KEY_RELOAD_SECONDS</c>, default 10).</summary>
    [ConfigurationKeyName(KeyReloadSecondsEnvVar)]
    public int KeyReloadSeconds { get; set; } = 10;

    /// <summary>How many resources are signed at once (<c>SIGNING_CONCURRENCY</c>, default 32).</summary>
    [ConfigurationKeyName(ConcurrencyEnvVar)]
    public int Concurrency { get; set; } = 32;

    /// <summary>
    /// Limits signing to one namespace (<c>SIGNING_NAMESPACE</c>); unset signs in every namespace, which is what a
    /// management cluster wants. Set it when several signers share one API server, as tests do.
    /// </summary>
    [ConfigurationKeyName(NamespaceEnvVar)]
    public string? Namespace { get; set; }

    public bool Enabled => !string.IsNullOrWhiteSpace(PrivateKeyPath);
}
