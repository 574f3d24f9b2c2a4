using Conductor.Compiler;
using Conductor.Runner;

// The mode guard runs before anything else (DESIGN §1): compile mode only.
if (ModeGuard.Enforce(ProgramModes.Compile, "compiler", args, Console.Error, TimeProvider.System) is { } violation)
{
    return violation;
}
return await CompilerCommandLine.InvokeAsync(args, Console.Out, Console.Error, CancellationToken.None);
