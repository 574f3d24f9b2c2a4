using System.CommandLine;
using Conductor.Compiler.OperatorBundle;
using Conductor.Compiler.Output;
using Conductor.Randomness;

namespace Conductor.Compiler.Commands;

/// <summary><c>compiler enable</c>: writes the phased operator bundle for a management or tenant cluster.</summary>
internal static class Enable
{
    private const string ClusterName = "--cluster-name";
    private const string ClusterRole = "--cluster-role";
    private const string Registry = "--registry";
    private const string Version = "--version";
    private const string Capi = "--capi";
    private const string SigningPrivateKey = "--signing-private-key";
    private const string OutputPublicKey = "--output-public-key";
    private const string ManagementSigningPublicKey = "--management-signing-public-key";
    private const string ManagementEndpoint = "--management-endpoint";
    private const string UpstreamChecksums = "--upstream-checksums";

    public static Command Create(IRandomSource random)
    {
        var command = new Command("enable",
            "Write the phased operator bundle: one directory per phase in apply order (00-infrastructure-dependencies, " +
            "00b-capi-prerequisites with --capi, 01-guardian-bootstrap, 02-guardian-deploy, 03-platform-dispatcher, 04-conductor, " +
            "05-post-bootstrap), each with a phase-meta.yaml naming its apply order and readiness gate. A tenant bundle holds " +
            "only 00 and 04. Upstream releases (cert-manager, CNPG, Kueue, Cluster API) are referenced by URL and SHA-256, " +
            "never embedded. Apart from a generated signing key the output is the same for the same flags; nothing is applied.\n\n" +
            "Examples:\n" +
            "  compiler enable --output ./enable --cluster-name ccs-mgmt --upstream-checksums upstream.sha256\n" +
            "  compiler enable --output ./enable --cluster-name ccs-mgmt --version v1.9.3-r1 --capi --upstream-checksums upstream.sha256 \\\n" +
            "      --signing-private-key signing.pem --output-public-key signing.pub.pem\n" +
            "  compiler enable --output ./tenant --cluster-name ccs-dev --cluster-role tenant \\\n" +
            "      --management-signing-public-key signing.pub.pem --management-endpoint conductor.mgmt.example.com:9443")
        {
            Options.Output("Bundle root directory; created if missing. Files already there are replaced, others kept."),
            new Option<string>(ClusterName) { Description = "Name of the cluster the bundle is for (a DNS-1123 label).", Required = true, HelpName = "NAME" },
            new Option<string>(ClusterRole) { Description = "Role stamped on the agent: management or tenant.", DefaultValueFactory = _ => "management", HelpName = "ROLE" },
            new Option<string>(Registry) { Description = "Image prefix; images are <registry>/<program>:<version>.", DefaultValueFactory = _ => EnableInputs.DefaultRegistry, HelpName = "PREFIX" },
            new Option<string>(Version) { Description = "Image tag of every Seam operator.", DefaultValueFactory = _ => "dev", HelpName = "TAG" },
            new Option<bool>(Capi) { Description = "Also write 00b-capi-prerequisites (Cluster API core and the Talos providers); management only." },
            new Option<string>(SigningPrivateKey) { Description = "Management: reuse this PKCS#8 PEM Ed25519 key instead of generating one.", HelpName = "FILE" },
            new Option<string>(OutputPublicKey) { Description = "Management: also write the public key (PKIX PEM) here, for tenant bundles.", HelpName = "FILE" },
            new Option<string>(ManagementSigningPublicKey) { Description = "Tenant (required): the management cluster's PKIX PEM Ed25519 public key.", HelpName = "FILE" },
            new Option<string>(ManagementEndpoint) { Description = "Tenant (required): host:port of the management federation gateway.", HelpName = "HOST:PORT" },
            new Option<string>(UpstreamChecksums) { Description = "sha256sum-style file ('<sha256>  <url>' lines) pinning the upstream release manifests.", HelpName = "FILE" },
        };
        command.SetAction((parseResult, cancellationToken) => Handler(
            parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error, parseResult, random, cancellationToken));
        return command;
    }

    internal static async Task<int> Handler(TextWriter stdout, TextWriter stderr, ParseResult parseResult, IRandomSource random,
        CancellationToken cancellationToken)
    {
        var output = parseResult.GetValue<string>(Options.OutputName);
        if (string.IsNullOrWhiteSpace(output))
        {
            await stderr.WriteLineAsync("compiler enable: --output is required: the directory to write the bundle to.");
            return ExitCodes.Usage;
        }
        var inputs = new EnableInputs
        {
            ClusterName = parseResult.GetValue<string>(ClusterName) ?? "",
            ClusterRole = parseResult.GetValue<string>(ClusterRole) ?? "",
            Registry = parseResult.GetValue<string>(Registry) ?? "",
            Version = parseResult.GetValue<string>(Version) ?? "",
            Capi = parseResult.GetValue<bool>(Capi),
            SigningPrivateKeyPath = parseResult.GetValue<string>(SigningPrivateKey),
            OutputPublicKeyPath = parseResult.GetValue<string>(OutputPublicKey),
            ManagementSigningPublicKeyPath = parseResult.GetValue<string>(ManagementSigningPublicKey),
            ManagementEndpoint = parseResult.GetValue<string>(ManagementEndpoint),
            UpstreamChecksumsPath = parseResult.GetValue<string>(UpstreamChecksums),
        };
        var errors = new List<string>();
        var settings = EnableInputsValidator.Validate(inputs, random, errors);
        if (settings is null)
        {
            foreach (var error in errors)
            {
                await stderr.WriteLineAsync($"compiler enable: {error}");
            }
            await stderr.WriteLineAsync($"compiler enable: {errors.Count} error(s); nothing was written.");
            return ExitCodes.Failure;
        }

        var files = EnableBundle.Files(settings);
        var directory = Path.GetFullPath(output);
        if (!await AtomicOutput.TryWriteAsync(directory, files, stderr,
            reason => $"compiler enable: --output {directory}: cannot write the bundle: {reason} Nothing was written; choose a writable directory.",
            cancellationToken))
        {
            return ExitCodes.Failure;
        }
        await stdout.WriteLineAsync($"Wrote the {settings.RoleName} bundle for {settings.ClusterName} ({files.Count} files) to {directory}");

        if (inputs.OutputPublicKeyPath is { } publicKeyPath && settings.SigningKey is { } key)
        {
            var target = Path.GetFullPath(publicKeyPath);
            if (!await AtomicOutput.TryWriteAsync(Path.GetDirectoryName(target)!, [(Path.GetFileName(target), key.PublicKey.ExportPem())], stderr,
                reason => $"compiler enable: --output-public-key {target}: cannot write the public key: {reason}", cancellationToken))
            {
                return ExitCodes.Failure;
            }
            await stdout.WriteLineAsync($"Wrote the signing public key ({key.KeyId}) to {target}");
            await stdout.WriteLineAsync($"Pass it to tenant bundles as --management-signing-public-key {target}");
        }
        return ExitCodes.Success;
    }
}
