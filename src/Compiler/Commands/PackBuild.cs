using System.CommandLine;
using Conductor.Compiler.Output;
using Conductor.Compiler.Packs;
using Conductor.Compiler.Packs.Delivery;
using Conductor.Compiler.Packs.Input;
using Conductor.Compiler.Packs.Raw;
using Conductor.Compiler.Packs.Split;
using Conductor.Compiler.Validation;
using Conductor.Registry.Distribution;
using Conductor.Resources.Dispatcher;

namespace Conductor.Compiler.Commands;

/// <summary>
/// <c>compiler packbuild</c>: compiles a PackBuild input into a PackDelivery CR. The raw path splits a directory of
/// manifests into rbac, cluster-scoped and workload layers and pushes each to the registry; the prebuilt path records
/// the digests it is given and touches no network. Nothing is written unless everything succeeded.
/// </summary>
internal static class PackBuild
{
    public const string InputName = "--input";
    public const string RegistryUsernameName = "--registry-username";
    public const string RegistryPasswordStdinName = "--registry-password-stdin";
    public const string PlainHttpName = "--plain-http";
    public const string RegistryCaFileName = "--registry-ca-file";

    private const string Prefix = "compiler packbuild: ";

    public static Command Command
    {
        get
        {
            var command = new Command("packbuild",
                "Compile a PackBuild spec into a PackDelivery CR, written to <output>/<name>.yaml.\n" +
                "With rawSource, the .yaml/.yml files of a directory are split into rbac, cluster-scoped and workload layers " +
                "(Helm hook documents dropped, Namespaces added for the namespaces the RBAC needs), and each layer is pushed " +
                "to registryUrl as tag <version>-rbac, <version>-cluster-scoped (when not empty) and <version>-workload. " +
                "Without a source, the digests and checksum given in the input are recorded and no registry is contacted. " +
                "helmSource and kustomizeSource are not supported yet.\n" +
                "Registry credentials: --registry-username with --registry-password-stdin (or " +
                $"{RegistryAccess.UsernameVariable}/{RegistryAccess.PasswordVariable}), else the Docker config's auths, else anonymous.\n\n" +
                "Examples:\n" +
                "  compiler packbuild --input pack.yaml --output ./packs\n" +
                "  echo \"$TOKEN\" | compiler packbuild --input pack.yaml --output ./packs --registry-username ci --registry-password-stdin")
            {
                new Option<string>(InputName, "-i") { Description = "The PackBuild YAML file.", HelpName = "FILE", Required = true },
                Options.Output("Directory to write <name>.yaml to; created if missing. Nothing is written when the build fails."),
                new Option<string>(RegistryUsernameName) { Description = "Registry user name; the password comes from stdin or " + RegistryAccess.PasswordVariable + ".", HelpName = "USER" },
                new Option<bool>(RegistryPasswordStdinName) { Description = "Read the registry password (or token) from standard input." },
                new Option<bool>(PlainHttpName) { Description = "Speak plain http to the registry (loopback registries always do)." },
                new Option<string>(RegistryCaFileName) { Description = "PEM file of CA certificates the registry's https certificate must chain to.", HelpName = "FILE" },
            };
            command.SetAction((parseResult, cancellationToken) => Handler(
                parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error, parseResult,
                Environment.GetEnvironmentVariable, Console.In, cancellationToken));
            return command;
        }
    }

    internal static async Task<int> Handler(TextWriter stdout, TextWriter stderr, ParseResult parseResult,
        Func<string, string?> environment, TextReader stdin, CancellationToken cancellationToken)
    {
        var inputPath = parseResult.GetValue<string>(InputName);
        var output = parseResult.GetValue<string>(Options.OutputName);
        if (string.IsNullOrWhiteSpace(inputPath) || string.IsNullOrWhiteSpace(output))
        {
            await stderr.WriteLineAsync(Prefix + "--input and --output are required: the PackBuild file and the directory to write the PackDelivery to.");
            return ExitCodes.Usage;
        }
        var access = new RegistryAccess(parseResult.GetValue<string>(RegistryUsernameName), parseResult.GetValue<bool>(RegistryPasswordStdinName),
            parseResult.GetValue<bool>(PlainHttpName), parseResult.GetValue<string>(RegistryCaFileName));
        var directory = Path.GetFullPath(output);

        try
        {
            var document = PackBuildInputReader.Read(inputPath);
            PackBuildRules.Validate(document);
            CheckOutputDirectory(directory);
            var delivery = await CompileAsync(document, access, environment, stdin, stdout, cancellationToken);
            var fileName = PackDeliveryYaml.FileName(delivery);
            await WriteAsync(directory, fileName, PackDeliveryYaml.Serialize(delivery, Path.GetFileName(inputPath)), cancellationToken);
            await stdout.WriteLineAsync($"Wrote {PackDelivery.KindName} {delivery.Metadata.NamespaceProperty}/{delivery.Metadata.Name} to {Path.Combine(directory, fileName)}");
            return ExitCodes.Success;
        }
        catch (PackBuildException ex)
        {
            foreach (var problem in ex.Problems)
            {
                await stderr.WriteLineAsync(Prefix + problem);
            }
            await stderr.WriteLineAsync(Prefix + $"nothing was written to {directory}.");
            return ExitCodes.Failure;
        }
    }

    private static async Task<PackDelivery> CompileAsync(PackBuildDocument document, RegistryAccess access,
        Func<string, string?> environment, TextReader stdin, TextWriter stdout, CancellationToken cancellationToken)
    {
        var kind = PackSourceKinds.Resolve(document.Input);
        switch (kind)
        {
            case PackSourceKind.Prebuilt:
                return PackDeliveryFactory.Prebuilt(document.Input);
            case PackSourceKind.Helm or PackSourceKind.Kustomize:
                var field = PackSourceKinds.Field(kind);
                throw new PackBuildException(document.Problem(field,
                    $"{field} is not yet supported in this build (Helm and Kustomize inputs are a later issue): render the manifests into a directory " +
                    "(helm template … or kustomize build …) and use rawSource, or give the digests of prebuilt layers"));
        }

        var layers = PackLayers.From(ManifestSplitter.Split(RawManifestSource.Read(document)));
        var repository = OciReference.Parse(document.Input.RegistryUrl!, requireTagOrDigest: false);
        try
        {
            using var client = access.CreateClient(repository.Registry, environment, stdin);
            var pushed = await PackLayerPusher.PushAsync(client, repository, document.Input.Version!, layers,
                layer => stdout.WriteLineAsync($"Pushed {layer.Layer} layer {layer.Reference} {layer.Digest}"), cancellationToken);
            return PackDeliveryFactory.Built(document.Input, pushed);
        }
        catch (PackLayerPushException ex)
        {
            throw new PackBuildException(document.Problem("registryUrl", $"{ex.Message} (rule: the registry must accept every layer)"), ex);
        }
        catch (InvalidOperationException ex)
        {
            throw new PackBuildException(document.Problem("registryUrl", $"registry credentials for {repository.Registry}: {ex.Message}"), ex);
        }
    }

    // Checked before anything is pushed, so a bad --output costs no registry round trip.
    private static void CheckOutputDirectory(string directory)
    {
        if (File.Exists(directory))
        {
            throw OutputProblem(directory, $"'{directory}' is a file, not a directory");
        }
        for (var ancestor = Path.GetDirectoryName(directory); ancestor is not null; ancestor = Path.GetDirectoryName(ancestor))
        {
            if (File.Exists(ancestor))
            {
                throw OutputProblem(directory, $"'{ancestor}' is a file, so the directory cannot be created below it");
            }
            if (Directory.Exists(ancestor))
            {
                return;
            }
        }
    }

    private static async Task WriteAsync(string directory, string fileName, string content, CancellationToken cancellationToken)
    {
        try
        {
            await AtomicOutput.WriteAsync(directory, [(fileName, content)], cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw OutputProblem(directory, ex.Message);
        }
    }

    private static PackBuildException OutputProblem(string directory, string reason) =>
        new(new PackBuildProblem(directory, null, null, Options.OutputName,
            $"cannot write the output: {reason} (rule: --output must be a directory that can be created and written): choose a writable --output directory"));
}
