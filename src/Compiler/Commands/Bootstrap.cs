using System.CommandLine;
using Conductor.Compiler.Bootstrap;
using Conductor.Compiler.Bootstrap.Input;
using Conductor.Compiler.Encryption.Age;
using Conductor.Compiler.Encryption.Sops;
using Conductor.Compiler.Output;
using Conductor.Compiler.Validation;
using Conductor.Compiler.Validation.ClusterInputRules;

namespace Conductor.Compiler.Commands;

/// <summary>
/// <c>compiler bootstrap</c>: compiles a cluster declaration into Talos machine-config Secrets, the talosconfig
/// Secret, the TalosCluster CR and the apply sequence (compiler notes §1). Secrets leave SOPS-encrypted for age.
/// </summary>
internal static class Bootstrap
{
    public const string InputName = "--input";
    public const string PlaintextName = "--plaintext";

    public static Command Command
    {
        get
        {
            var command = new Command("bootstrap",
                "Compile a cluster declaration into Talos machine-config Secrets, the talosconfig Secret, the TalosCluster CR " +
                "and bootstrap-sequence.yaml. mode: bootstrap generates a fresh PKI (Talos secrets bundle); mode: import " +
                "reuses the CAs of the machine configs listed in machineConfigPaths. Every Secret is SOPS-encrypted for the " +
                "age recipients of --age-recipient or SOPS_AGE_RECIPIENTS; without one, --plaintext must be given.\n\n" +
                "Examples:\n" +
                "  compiler bootstrap --input cluster.yaml --output ./bootstrap --age-recipient age1...\n" +
                "  SOPS_AGE_RECIPIENTS=age1... compiler bootstrap --input cluster.yaml --output ./bootstrap")
            {
                new Option<string>(InputName, "-i") { Description = "The ClusterInput YAML file.", HelpName = "FILE", Required = true },
                Options.Output("Directory to write to; created if missing. Nothing is written unless every file can be."),
                new Option<string[]>(SopsAgeRecipients.Flag)
                {
                    Description = $"An age recipient (age1…) to encrypt Secrets for; repeatable. Default: ${SopsAgeRecipients.EnvironmentVariable} (comma-separated).",
                    HelpName = "RECIPIENT",
                    Arity = ArgumentArity.ZeroOrMore,
                },
                new Option<bool>(PlaintextName)
                {
                    Description = "Write the Secrets unencrypted (cluster CA keys in plain text). Only when no age recipient is given.",
                },
            };
            command.SetAction((parseResult, cancellationToken) => Handler(
                parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error, parseResult,
                BootstrapServices.System, cancellationToken));
            return command;
        }
    }

    internal static async Task<int> Handler(
        TextWriter stdout, TextWriter stderr, ParseResult parseResult, BootstrapServices services, CancellationToken cancellationToken)
    {
        var inputPath = parseResult.GetValue<string>(InputName);
        var output = parseResult.GetValue<string>(Options.OutputName);
        var plaintext = parseResult.GetValue<bool>(PlaintextName);
        if (string.IsNullOrWhiteSpace(inputPath) || string.IsNullOrWhiteSpace(output))
        {
            await stderr.WriteLineAsync($"compiler bootstrap: {(string.IsNullOrWhiteSpace(inputPath) ? InputName : Options.OutputName)} is required.");
            return ExitCodes.Usage;
        }

        var errors = new List<string>();
        IReadOnlyList<AgeRecipient> recipients = [];
        try
        {
            recipients = SopsAgeRecipients.Parse(
                parseResult.GetValue<string[]>(SopsAgeRecipients.Flag) ?? [],
                services.Environment(SopsAgeRecipients.EnvironmentVariable));
        }
        catch (SopsException e)
        {
            errors.AddRange(e.Message.Split(Environment.NewLine));
        }
        if (errors.Count == 0 && recipients.Count == 0 && !plaintext)
        {
            await stderr.WriteLineAsync(
                $"compiler bootstrap: no age recipient: the Secrets hold the cluster's CA keys. Pass {SopsAgeRecipients.Flag} age1… " +
                $"(or set {SopsAgeRecipients.EnvironmentVariable}) to SOPS-encrypt them, or {PlaintextName} to write them in plain text.");
            return ExitCodes.Usage;
        }
        if (recipients.Count > 0 && plaintext)
        {
            await stderr.WriteLineAsync(
                $"compiler bootstrap: {PlaintextName} contradicts the age recipients given ({string.Join(", ", recipients.Select(r => r.Text))}); " +
                "drop one of them.");
            return ExitCodes.Usage;
        }

        ClusterInputContext? context = null;
        var inputFull = Path.GetFullPath(inputPath, services.WorkingDirectory);
        try
        {
            context = new ClusterInputContext(ClusterInputReader.Read(inputFull), services.WorkingDirectory);
            errors.AddRange(ClusterInputValidator.Validate(context).Select(e => $"{inputPath}: {e}"));
        }
        catch (ClusterInputException e)
        {
            errors.Add(e.Message.Replace(inputFull, inputPath, StringComparison.Ordinal));
        }
        if (errors.Count > 0 || context is null)
        {
            await stderr.WriteLineAsync($"compiler bootstrap: {errors.Count} error{(errors.Count == 1 ? "" : "s")}; nothing was written:");
            foreach (var error in errors)
            {
                await stderr.WriteLineAsync($"  {error}");
            }
            return ExitCodes.Failure;
        }

        var plan = ClusterPlan.From(context);
        var files = BootstrapCompiler.Compile(plan, recipients, services);
        var directory = Path.GetFullPath(output, services.WorkingDirectory);
        if (!await AtomicOutput.TryWriteAsync(directory, files.Select(f => (f.Name, f.Content)), stderr,
            reason => $"compiler bootstrap: cannot write to '{directory}': {reason} Nothing was written; choose a writable --output directory.",
            cancellationToken))
        {
            return ExitCodes.Failure;
        }

        var secretCount = files.Count(f => f.HoldsSecrets);
        if (recipients.Count == 0)
        {
            await stderr.WriteLineAsync(
                $"WARNING: compiler bootstrap wrote {secretCount} Secrets in PLAIN TEXT ({PlaintextName}): they hold the cluster's CA " +
                "private keys and join tokens. Do not commit them; encrypt them with sops before they leave this machine.");
        }
        await stdout.WriteLineAsync(
            $"Wrote {files.Count} files for {plan.Mode.ToString().ToLowerInvariant()} of cluster {plan.Name} ({plan.Nodes.Count} nodes, " +
            $"Talos {plan.TalosVersion.Tag}, Kubernetes {plan.KubernetesVersion}) to {directory}; " +
            (recipients.Count == 0 ? $"{secretCount} Secrets in plain text." : $"{secretCount} Secrets SOPS-encrypted for {recipients.Count} age recipient(s)."));
        return ExitCodes.Success;
    }
}
