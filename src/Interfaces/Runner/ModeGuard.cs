namespace Conductor.Runner;

/// <summary>
/// Each program accepts only its own mode (seed: "Compile mode attempted on the Conductor binary causes
/// immediate InvariantViolation exit"). Runs first in <c>Main</c>, before any other initialisation.
/// </summary>
public static class ModeGuard
{
    /// <summary>
    /// Returns the violation reason when the arguments or the environment ask for a mode other than
    /// <paramref name="ownMode"/>, or <c>null</c> when the program may start. A mode is requested by
    /// <c>--mode X</c>, <c>--mode=X</c>, a first positional argument that names a mode, or <c>CONDUCTOR_MODE</c>.
    /// </summary>
    public static string? Check(string ownMode, string programName, IReadOnlyList<string> args, string? environmentMode)
    {
        foreach (var (requested, source) in RequestedModes(args, environmentMode))
        {
            if (!string.Equals(requested, ownMode, StringComparison.Ordinal))
            {
                return $"{programName} runs only in {ownMode} mode; {source} asked for mode '{requested}'. " +
                       $"{Advice(requested)}";
            }
        }
        return null;
    }

    /// <summary>Checks, and on violation writes the InvariantViolation line; returns the exit code or null.</summary>
    public static int? Enforce(string ownMode, string programName, IReadOnlyList<string> args, TextWriter stderr, TimeProvider time)
    {
        var reason = Check(ownMode, programName, args, Environment.GetEnvironmentVariable(ProgramModes.ModeEnvVar));
        return reason is null ? null : InvariantViolation.Write(stderr, reason, time);
    }

    private static IEnumerable<(string Mode, string Source)> RequestedModes(IReadOnlyList<string> args, string? environmentMode)
    {
        if (!string.IsNullOrEmpty(environmentMode))
        {
            yield return (environmentMode, ProgramModes.ModeEnvVar);
        }
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == ProgramModes.ModeFlag)
            {
                yield return (i + 1 < args.Count ? args[i + 1] : "", ProgramModes.ModeFlag);
            }
            else if (arg.StartsWith(ProgramModes.ModeFlag + "=", StringComparison.Ordinal))
            {
                yield return (arg[(ProgramModes.ModeFlag.Length + 1)..], ProgramModes.ModeFlag);
            }
        }
        if (args.Count > 0 && ProgramModes.All.Contains(args[0]))
        {
            yield return (args[0], "the first argument");
        }
    }

    private static string Advice(string requested) => requested switch
    {
        ProgramModes.Compile => "Compile mode belongs to the compiler binary alone (INV-023); run 'compiler' instead.",
        ProgramModes.Execute => "Execute mode belongs to conductor-execute, which runs as a Kueue Job.",
        ProgramModes.Agent => "Agent mode belongs to the conductor binary, deployed in ont-system.",
        _ => "Known modes are compile, execute and agent.",
    };
}
