using Conductor.Registry.Auth;
using Conductor.Registry.Distribution;

namespace Conductor.Executor.Capabilities.PackDeploy;

/// <summary>
/// How pack-deploy reaches the pack registry: credentials from the Docker config in <c>$DOCKER_CONFIG/config.json</c>
/// (a mounted pull Secret) when present, anonymous otherwise; loopback registries over plain http, everything else
/// https; transient failures retried by the client.
/// </summary>
public static class PackRegistryAccess
{
    public const string DockerConfigEnvVar = "DOCKER_CONFIG";

    // A Job gives up on one request sooner than the library default; the client still retries transient failures.
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    public static OciRegistryClient Create()
    {
        var options = new OciRegistryOptions { RequestTimeout = RequestTimeout };
        var directory = Environment.GetEnvironmentVariable(DockerConfigEnvVar);
        var config = string.IsNullOrEmpty(directory) ? null : Path.Combine(directory, "config.json");
        return OciRegistryClient.Create(options, config is not null && File.Exists(config) ? DockerConfigCredentialProvider.Load(config) : null);
    }
}
