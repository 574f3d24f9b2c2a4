using System.Text.RegularExpressions;
using Conductor.Compiler.OperatorBundle.Upstream;
using Conductor.Naming;
using Conductor.Randomness;
using Conductor.Signing;

namespace Conductor.Compiler.OperatorBundle;

/// <summary>The raw flag values of <c>compiler enable</c>, before validation.</summary>
public sealed record EnableInputs
{
    public required string ClusterName { get; init; }
    public string ClusterRole { get; init; } = "management";
    public string Registry { get; init; } = DefaultRegistry;
    public string Version { get; init; } = "dev";
    public bool Capi { get; init; }
    public string? SigningPrivateKeyPath { get; init; }
    public string? OutputPublicKeyPath { get; init; }
    public string? ManagementSigningPublicKeyPath { get; init; }
    public string? ManagementEndpoint { get; init; }
    public string? UpstreamChecksumsPath { get; init; }

    public const string DefaultRegistry = "10.20.0.1:5000/ontai-dev";
}

/// <summary>
/// Validates <see cref="EnableInputs"/> into <see cref="EnableSettings"/>, reporting every problem at once; each
/// message names the flag (and file, where one is read) and the rule it broke (STYLE 17).
/// </summary>
public static partial class EnableInputsValidator
{
    // seam-tenant-{cluster} must still be a valid namespace name (63 characters).
    private const int MaxClusterNameLength = DnsLabel.MaxLength - 12;

    public static EnableSettings? Validate(EnableInputs inputs, IRandomSource random, List<string> errors)
    {
        if (!DnsLabel.IsValid(inputs.ClusterName) || inputs.ClusterName.Length > MaxClusterNameLength)
        {
            errors.Add($"--cluster-name: '{inputs.ClusterName}' must be a DNS-1123 label (lowercase letters, digits, '-'; " +
                       $"starting and ending with a letter or digit) of at most {MaxClusterNameLength} characters");
        }
        AgentRole? role = inputs.ClusterRole switch
        {
            "management" => AgentRole.Management,
            "tenant" => AgentRole.Tenant,
            _ => null,
        };
        if (role is null)
        {
            errors.Add($"--cluster-role: must be 'management' or 'tenant'; got '{inputs.ClusterRole}'");
        }
        if (!RegistryPrefix().IsMatch(inputs.Registry))
        {
            errors.Add($"--registry: '{inputs.Registry}' must be an image prefix such as registry.example.com:5000/team " +
                       "(no scheme, no tag, no trailing '/')");
        }
        if (!ImageTag().IsMatch(inputs.Version))
        {
            errors.Add($"--version: '{inputs.Version}' must be an image tag: letters, digits, '_', '.', '-', at most 128 characters, not starting with '.' or '-'");
        }

        Ed25519PrivateKey? signingKey = null;
        string? managementPublicKey = null;
        if (role == AgentRole.Tenant)
        {
            Forbid(inputs.SigningPrivateKeyPath, "--signing-private-key", "a tenant holds no signing key; it verifies with --management-signing-public-key", errors);
            Forbid(inputs.OutputPublicKeyPath, "--output-public-key", "only a management bundle has a key pair to export", errors);
            if (inputs.Capi)
            {
                errors.Add("--capi: Cluster API runs on the management cluster only; drop --capi for --cluster-role tenant");
            }
            if (inputs.ManagementSigningPublicKeyPath is null)
            {
                errors.Add("--management-signing-public-key: required for --cluster-role tenant: the management cluster's PKIX PEM Ed25519 public key");
            }
            else if (ReadFile(inputs.ManagementSigningPublicKeyPath, "--management-signing-public-key", errors) is { } pem)
            {
                try
                {
                    managementPublicKey = Ed25519PublicKey.FromPem(pem, $"--management-signing-public-key {inputs.ManagementSigningPublicKeyPath}").ExportPem();
                }
                catch (SigningKeyException ex)
                {
                    errors.Add(ex.Message);
                }
            }
            if (inputs.ManagementEndpoint is null)
            {
                errors.Add("--management-endpoint: required for --cluster-role tenant: host:port of the management federation gateway");
            }
            else if (!Endpoint().IsMatch(inputs.ManagementEndpoint))
            {
                errors.Add($"--management-endpoint: '{inputs.ManagementEndpoint}' must be host:port, for example conductor.mgmt.example.com:9443");
            }
        }
        else if (role == AgentRole.Management)
        {
            Forbid(inputs.ManagementSigningPublicKeyPath, "--management-signing-public-key", "only a tenant bundle takes the management public key", errors);
            Forbid(inputs.ManagementEndpoint, "--management-endpoint", "only a tenant agent dials the management gateway", errors);
            if (inputs.SigningPrivateKeyPath is null)
            {
                signingKey = Ed25519PrivateKey.Generate(random);
            }
            else if (ReadFile(inputs.SigningPrivateKeyPath, "--signing-private-key", errors) is { } pem)
            {
                try
                {
                    signingKey = Ed25519PrivateKey.FromPem(pem, $"--signing-private-key {inputs.SigningPrivateKeyPath}");
                }
                catch (SigningKeyException ex)
                {
                    errors.Add(ex.Message);
                }
            }
        }

        var releases = role == AgentRole.Management
            ? UpstreamPins.InfrastructureDependencies.Concat(inputs.Capi ? UpstreamPins.Capi : []).ToList()
            : [];
        IReadOnlyDictionary<string, string> sums = new Dictionary<string, string>();
        if (inputs.UpstreamChecksumsPath is not null && ReadFile(inputs.UpstreamChecksumsPath, "--upstream-checksums", errors) is { } text)
        {
            sums = UpstreamChecksums.Parse(inputs.UpstreamChecksumsPath, text, errors);
        }
        var pinned = UpstreamChecksums.Resolve(releases, sums, inputs.UpstreamChecksumsPath, errors);

        if (errors.Count > 0 || role is null)
        {
            return null;
        }
        return new EnableSettings
        {
            Role = role.Value,
            ClusterName = inputs.ClusterName,
            Registry = inputs.Registry,
            Version = inputs.Version,
            Capi = inputs.Capi,
            ManagementEndpoint = inputs.ManagementEndpoint,
            SigningKey = signingKey,
            ManagementPublicKeyPem = managementPublicKey,
            UpstreamManifests = pinned,
        };
    }

    private static void Forbid(string? value, string flag, string why, List<string> errors)
    {
        if (value is not null)
        {
            errors.Add($"{flag}: not allowed with --cluster-role {(flag.StartsWith("--management", StringComparison.Ordinal) ? "management" : "tenant")}: {why}");
        }
    }

    private static string? ReadFile(string path, string flag, List<string> errors)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            errors.Add($"{flag} {path}: cannot read the file: {ex.Message}");
            return null;
        }
    }

    [GeneratedRegex(@"^[a-zA-Z0-9]([a-zA-Z0-9.-]*[a-zA-Z0-9])?(:[0-9]{1,5})?(/[a-z0-9]+([._-][a-z0-9]+)*)*$")]
    private static partial Regex RegistryPrefix();

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")]
    private static partial Regex ImageTag();

    [GeneratedRegex(@"^([a-zA-Z0-9]([a-zA-Z0-9.-]*[a-zA-Z0-9])?|\[[0-9a-fA-F:]+\]):[0-9]{1,5}$")]
    private static partial Regex Endpoint();
}
