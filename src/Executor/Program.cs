using Conductor.Executor.Execution;
using Conductor.Executor.JobEnvironment;
using Conductor.Runner;
using Microsoft.Extensions.Logging;

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

var options = ExecutorOptions.Read(Environment.GetEnvironmentVariable);
if (options.ResultConfigMap.Length == 0)
{
    // Without the ConfigMap's name nothing can be recorded: the one case besides an unreachable API server that exits non-zero.
    Console.Error.WriteLine($"conductor-execute: {JobProtocol.ResultConfigMapEnvVar} is required and not set; no result was recorded");
    return JobProtocol.ExitCodes.NoResultRecorded;
}

k8s.IKubernetes management;
try
{
    management = ManagementClient.Create();
}
catch (Exception e)
{
    Console.Error.WriteLine($"conductor-execute: cannot build the management cluster client ({e.Message}); no result was recorded");
    return JobProtocol.ExitCodes.NoResultRecorded;
}

using var logging = LoggerFactory.Create(builder => builder.AddJsonConsole());
using (management)
{
    return await new JobRun(options, management, TimeProvider.System, logging.CreateLogger<JobRun>()).RunAsync(CancellationToken.None);
}
