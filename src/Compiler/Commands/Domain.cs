using System.CommandLine;

namespace Conductor.Compiler.Commands;

/// <summary><c>compiler domain</c>: reserved for the future Sovereign Domain surface.</summary>
internal static class Domain
{
    public static Command Command
    {
        get
        {
            var command = new Command("domain", "Reserved for a future Sovereign Domain surface; not implemented.")
            {
                TreatUnmatchedTokensAsErrors = false,
            };
            command.SetAction((parseResult, cancellationToken) => Handler(
                parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error, parseResult, cancellationToken));
            return command;
        }
    }

    internal static async Task<int> Handler(TextWriter stdout, TextWriter stderr, ParseResult parseResult, CancellationToken cancellationToken)
    {
        await stderr.WriteLineAsync("compiler domain: reserved for a future Sovereign Domain surface; it is not implemented.");
        return ExitCodes.Failure;
    }
}
