using System.Text;
using System.Text.Json;

namespace Conductor.Registry.Auth;

/// <summary>
/// Reads <c>auths.&lt;host[:port]&gt;</c> from a Docker <c>config.json</c>: either <c>auth</c> (base64 of
/// <c>user:password</c>) or <c>username</c> + <c>password</c>. Credential helpers (<c>credsStore</c>) are not run;
/// a registry that only has a helper entry gets a clear error rather than silently going anonymous.
/// </summary>
public sealed class DockerConfigCredentialProvider : IRegistryCredentialProvider
{
    private readonly string _path;
    private readonly Dictionary<string, RegistryCredentials> _byRegistry = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _helperOnly = new(StringComparer.OrdinalIgnoreCase);

    private DockerConfigCredentialProvider(string path) => _path = path;

    /// <summary>The default locations, in order: <c>$DOCKER_CONFIG/config.json</c>, <c>~/.docker/config.json</c>.</summary>
    public static IReadOnlyList<string> DefaultPaths()
    {
        var paths = new List<string>();
        var dockerConfig = Environment.GetEnvironmentVariable("DOCKER_CONFIG");
        if (!string.IsNullOrEmpty(dockerConfig))
        {
            paths.Add(Path.Combine(dockerConfig, "config.json"));
        }

        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (!string.IsNullOrEmpty(home))
        {
            paths.Add(Path.Combine(home, ".docker", "config.json"));
        }

        return paths;
    }

    /// <summary>Loads the first of <see cref="DefaultPaths"/> that exists, or returns null when none does.</summary>
    public static DockerConfigCredentialProvider? LoadDefault() =>
        DefaultPaths().Where(File.Exists).Select(Load).FirstOrDefault();

    /// <summary>Loads <paramref name="path"/>; a malformed file is an error naming the file and the field.</summary>
    public static DockerConfigCredentialProvider Load(string path)
    {
        var provider = new DockerConfigCredentialProvider(path);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllBytes(path));
        }
        catch (JsonException ex)
        {
            throw new FormatException($"docker config {path} is not valid JSON: {ex.Message}", ex);
        }

        using (document)
        {
            if (!document.RootElement.TryGetProperty("auths", out var auths) || auths.ValueKind != JsonValueKind.Object)
            {
                return provider;
            }

            foreach (var entry in auths.EnumerateObject())
            {
                provider.Add(entry);
            }
        }

        return provider;
    }

    /// <inheritdoc />
    public RegistryCredentials? Find(string registry)
    {
        if (_byRegistry.TryGetValue(registry, out var credentials))
        {
            return credentials;
        }

        return _helperOnly.Contains(registry)
            ? throw new InvalidOperationException(
                $"docker config {_path} has no inline credentials for {registry} (credential helpers are not " +
                $"supported): set auths.\"{registry}\".auth to base64(user:password)")
            : null;
    }

    private void Add(JsonProperty entry)
    {
        var field = $"auths.\"{entry.Name}\"";
        if (entry.Value.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"docker config {_path}: {field} must be an object");
        }

        var key = NormalizeKey(entry.Name);
        if (entry.Value.TryGetProperty("auth", out var auth) && auth.GetString() is { Length: > 0 } encoded)
        {
            string decoded;
            try
            {
                decoded = Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
            }
            catch (FormatException ex)
            {
                throw new FormatException($"docker config {_path}: {field}.auth is not valid base64", ex);
            }

            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw new FormatException($"docker config {_path}: {field}.auth must decode to 'user:password'");
            }

            _byRegistry[key] = new RegistryCredentials(decoded[..colon], decoded[(colon + 1)..]);
        }
        else if (entry.Value.TryGetProperty("username", out var user) && user.GetString() is { Length: > 0 } name
                 && entry.Value.TryGetProperty("password", out var password))
        {
            _byRegistry[key] = new RegistryCredentials(name, password.GetString() ?? "");
        }
        else
        {
            _helperOnly.Add(key);
        }
    }

    // Docker writes keys either as host[:port] or as a URL ("https://index.docker.io/v1/").
    private static string NormalizeKey(string key)
    {
        var text = key;
        foreach (var scheme in new[] { "https://", "http://" })
        {
            if (text.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
            {
                text = text[scheme.Length..];
            }
        }

        var slash = text.IndexOf('/', StringComparison.Ordinal);
        return slash >= 0 ? text[..slash] : text;
    }
}
