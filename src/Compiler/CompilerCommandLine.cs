using System.CommandLine;
using System.CommandLine.Invocation;
using Conductor.Compiler.Commands;

namespace Conductor.Compiler;

/// <summary>The root command with its seven verbs, and the mapping of parse errors to <see cref="ExitCodes.Usage"/>.</summary>
internal static class CompilerCommandLine
{
    public static RootCommand Build() => new(
        "compiler: compiles human-authored specs into Kubernetes manifests for human review and GitOps. " +
        "It never applies, patches or deletes anything on a cluster.\n\n" +
        "Examples:\n" +
        "  compiler launch --output ./launch\n" +
        "  compiler <verb> --help")
    {
        Commands.Bootstrap.Command,
        Launch.Command,
        NotYetBuilt.Create("enable",
            "Write the phased operator deployment bundle (guardian, platform, wrapper, seam-core, conductor).\n\n" +
            "Example:\n  compiler enable --output ./enable --cluster-name ccs-mgmt"),
        NotYetBuilt.Create("packbuild",
            "Compile a PackBuild spec (Helm, Kustomize, raw or prebuilt) into a PackDelivery CR and push its layers.\n\n" +
            "Example:\n  compiler packbuild --input pack.yaml --output ./packs"),
        Maintenance.Command,
        NotYetBuilt.Create("component",
            "Write RBACProfile CRs from the embedded component catalog or a descriptor.\n\n" +
            "Example:\n  compiler component --component cilium --namespace seam-system --target-clusters ccs-dev --rbac-policy-ref management-policy"),
        Domain.Command,
    };

    /// <summary>Parses and runs; a parse error prints the errors, typo suggestions and help, and exits 2.</summary>
    public static async Task<int> InvokeAsync(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var parseResult = Build().Parse(args);
        var exitCode = await parseResult.InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr }, cancellationToken);
        return parseResult.Action is ParseErrorAction ? ExitCodes.Usage : exitCode;
    }
}
