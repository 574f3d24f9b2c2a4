using System.CommandLine;
using System.CommandLine.Invocation;
using Conductor.Compiler.Commands;
using Conductor.Randomness;

namespace Conductor.Compiler;

/// <summary>The root command with its seven verbs, and the mapping of parse errors to <see cref="ExitCodes.Usage"/>.</summary>
internal static class CompilerCommandLine
{
    /// <summary>
    /// The command tree. <paramref name="random"/> is where generated keys come from: the OS CSPRNG unless a test
    /// passes a seeded source to pin the output byte for byte.
    /// </summary>
    public static RootCommand Build(IRandomSource? random = null) => new(
        "compiler: compiles human-authored specs into Kubernetes manifests for human review and GitOps. " +
        "It never applies, patches or deletes anything on a cluster.\n\n" +
        "Examples:\n" +
        "  compiler launch --output ./launch\n" +
        "  compiler <verb> --help")
    {
        Commands.Bootstrap.Command,
        Launch.Command,
        Enable.Create(random ?? SystemRandomSource.Instance),
        PackBuild.Command,
        Maintenance.Command,
        Component.Create(),
        Domain.Command,
    };

    /// <summary>Parses and runs; a parse error prints the errors, typo suggestions and help, and exits 2.</summary>
    public static async Task<int> InvokeAsync(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken,
        IRandomSource? random = null)
    {
        var parseResult = Build(random).Parse(args);
        var exitCode = await parseResult.InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr }, cancellationToken);
        return parseResult.Action is ParseErrorAction ? ExitCodes.Usage : exitCode;
    }
}
