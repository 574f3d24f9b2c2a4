using Conductor.Registry.Auth;
using Conductor.Registry.Distribution;

namespace Conductor.Compiler.Packs.Delivery;

/// <summary>
/// How packbuild reaches the registry. Credentials, first match wins: <c>--registry-username</c> (or
/// <see cref="UsernameVariable"/>) with the password from <c>--registry-password-stdin</c> (or
/// <see cref="PasswordVariable"/>); else the inline <c>auths</c> of the Docker config
/// (<c>$DOCKER_CONFIG/config.json</c>, <c>~/.docker/config.json</c>, <c>~/snap/docker/current/.docker/config.json</c>);
/// else anonymous. The client does basic auth and Docker bearer-token auth with these, and retries transient failures.
/// </summary>
public sealed record RegistryAccess(string? Username, bool PasswordFromStdin, bool PlainHttp, string? CaFile)
{
    public const string UsernameVariable = "CONDUCTOR_REGISTRY_USERNAME";
    public const string PasswordVariable = "CONDUCTOR_REGISTRY_PASSWORD";

    // A workstation CLI gives up sooner than the library default; transient failures are still retried.
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    /// <summary>A client for <paramref name="registry"/>; a credential problem is an <see cref="InvalidOperationException"/> saying what to set.</summary>
    public OciRegistryClient CreateClient(string registry, Func<string, string?> environment, TextReader stdin)
    {
        var options = new OciRegistryOptions { RequestTimeout = RequestTimeout, CaCertificateFile = CaFile };
        if (PlainHttp)
        {
            options.PlainHttpRegistries.Add(registry);
        }
        return OciRegistryClient.Create(options, Credentials(registry, environment, stdin));
    }

    private IRegistryCredentialProvider? Credentials(string registry, Func<string, string?> environment, TextReader stdin)
    {
        var username = Username ?? environment(UsernameVariable);
        var password = PasswordFromStdin ? stdin.ReadToEnd().TrimEnd('\r', '\n') : environment(PasswordVariable);
        if (!string.IsNullOrEmpty(username) || PasswordFromStdin)
        {
            if (string.IsNullOrEmpty(username))
            {
                throw new InvalidOperationException($"--registry-password-stdin needs a user name: pass --registry-username or set {UsernameVariable}");
            }
            if (string.IsNullOrEmpty(password))
            {
                throw new InvalidOperationException(
                    $"registry user '{username}' has no password: pipe it to --registry-password-stdin or set {PasswordVariable}");
            }
            return StaticRegistryCredentialProvider.For(registry, new RegistryCredentials(username, password));
        }

        var dockerConfig = DockerConfigPaths(environment).FirstOrDefault(File.Exists);
        if (dockerConfig is null)
        {
            return null;
        }
        try
        {
            return DockerConfigCredentialProvider.Load(dockerConfig);
        }
        catch (Exception ex) when (ex is FormatException or IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"cannot use the Docker config for registry credentials: {ex.Message}", ex);
        }
    }

    private static IEnumerable<string> DockerConfigPaths(Func<string, string?> environment)
    {
        if (environment("DOCKER_CONFIG") is { Length: > 0 } dockerConfig)
        {
            yield return Path.Combine(dockerConfig, "config.json");
        }
        if (environment("HOME") is { Length: > 0 } home)
        {
            yield return Path.Combine(home, ".docker", "config.json");
            yield return Path.Combine(home, "snap", "docker", "current", ".docker", "config.json");
        }
    }
}
