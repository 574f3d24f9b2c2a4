using System.CommandLine;

namespace Conductor.Compiler;

/// <summary>Options shared by several verbs. Handlers read values by the <c>…Name</c> constants.</summary>
internal static class Options
{
    public const string OutputName = "--output";

    public static Option<string> Output(string description) => new(OutputName, "-o")
    {
        Description = description,
        HelpName = "DIR",
        Required = true,
    };
}
