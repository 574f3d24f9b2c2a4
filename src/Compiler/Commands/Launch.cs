using System.CommandLine;
using Conductor.Compiler.Crds;
using Conductor.Compiler.Output;
using Conductor.Resources;

namespace Conductor.Compiler.Commands;

/// <summary><c>compiler launch</c>: writes the CRD bundle of every Seam API kind, generated from the resource models.</summary>
internal static class Launch
{
    public static Command Command
    {
        get
        {
            var command = new Command("launch",
                "Write the CRD bundle for management cluster bootstrap: one CustomResourceDefinition per Seam API kind, " +
                "generated from the resource models, plus a kustomization.yaml listing them in apply order. " +
                "The output is byte-for-byte the same for the same compiler build; nothing is applied to any cluster.\n\n" +
                "Examples:\n" +
                "  compiler launch --output ./launch\n" +
                "  kubectl apply -k ./launch")
            {
                Options.Output("Directory to write the bundle to; created if missing. Files already there are replaced, others kept."),
            };
            command.SetAction((parseResult, cancellationToken) => Handler(
                parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error, parseResult, cancellationToken));
            return command;
        }
    }

    internal static async Task<int> Handler(TextWriter stdout, TextWriter stderr, ParseResult parseResult, CancellationToken cancellationToken)
    {
        var output = parseResult.GetValue<string>(Options.OutputName);
        if (string.IsNullOrWhiteSpace(output))
        {
            await stderr.WriteLineAsync("compiler launch: --output is required: the directory to write the CRD bundle to.");
            return ExitCodes.Usage;
        }

        var files = CrdBundle.Build(ResourceKinds.All);
        var directory = Path.GetFullPath(output);
        if (!await AtomicOutput.TryWriteAsync(directory, files.Select(f => (f.Name, f.Content)), stderr,
            reason => $"compiler launch: cannot write the CRD bundle to '{directory}': {reason} Nothing was written; choose a writable --output directory.",
            cancellationToken))
        {
            return ExitCodes.Failure;
        }

        await stdout.WriteLineAsync($"Wrote {files.Count - 1} CustomResourceDefinitions and {CrdBundle.KustomizationFileName} to {directory}");
        return ExitCodes.Success;
    }
}
