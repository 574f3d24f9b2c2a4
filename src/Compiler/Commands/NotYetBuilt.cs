using System.CommandLine;

namespace Conductor.Compiler.Commands;

/// <summary>
/// A verb whose compile logic is not in this build yet. It parses any arguments and says so plainly rather than
/// pretending to work; each verb moves to its own <c>Commands/&lt;Verb&gt;.cs</c> when it is built.
/// </summary>
internal static class NotYetBuilt
{
    public static Command Create(string name, string description)
    {
        var command = new Command(name, description) { TreatUnmatchedTokensAsErrors = false };
        command.SetAction((parseResult, _) => Handler(parseResult.InvocationConfiguration.Error, name));
        return command;
    }

    internal static async Task<int> Handler(TextWriter stderr, string name)
    {
        await stderr.WriteLineAsync($"compiler {name}: not yet implemented in this build.");
        return ExitCodes.Failure;
    }
}
