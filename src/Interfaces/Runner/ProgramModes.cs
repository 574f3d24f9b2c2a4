namespace Conductor.Runner;

/// <summary>
/// The three modes of the Seam platform intelligence (seed: compile, execute, agent). Each program
/// accepts exactly one of them; see <see cref="ModeGuard"/>.
/// </summary>
public static class ProgramModes
{
    public const string Compile = "compile";
    public const string Execute = "execute";
    public const string Agent = "agent";

    /// <summary>Environment variable that names the requested mode.</summary>
    public const string ModeEnvVar = "CONDUCTOR_MODE";

    /// <summary>Command-line flag that names the requested mode (<c>--mode X</c> or <c>--mode=X</c>).</summary>
    public const string ModeFlag = "--mode";

    public static readonly IReadOnlyList<string> All = [Compile, Execute, Agent];
}
