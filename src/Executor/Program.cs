using Conductor.Executor.JobEnvironment;
using Conductor.Runner;

// The mode guard runs before any other initialisation (DESIGN §1).
if (ModeGuard.Enforce(ProgramModes.Execute, ExecutorHelp.ProgramName, args, Console.Error, TimeProvider.System) is { } refused)
{
    return refused;
}
if (ExecutorHelp.IsRequested(args))
{
    ExecutorHelp.Write(Console.Out);
    return 0;
}

Console.Error.WriteLine("conductor-execute: running capabilities is not yet implemented in this build; no result was recorded");
return JobProtocol.ExitCodes.NoResultRecorded;
