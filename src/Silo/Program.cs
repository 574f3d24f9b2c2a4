using Conductor.Runner;
using Conductor.Silo.Roles;
using Conductor.Silo.Startup;
using Microsoft.Extensions.Options;

// Guards first, before any other initialisation: another program's mode, then help, then the role (DESIGN §1).
if (ModeGuard.Enforce(ProgramModes.Agent, AgentHelp.ProgramName, args, Console.Error, TimeProvider.System) is { } refused)
{
    return refused;
}
if (AgentHelp.IsRequested(args))
{
    AgentHelp.Write(Console.Out);
    return 0;
}
var (role, roleRefused) = RoleGuard.Enforce(Environment.GetEnvironmentVariable(RoleGuard.RoleEnvVar), Console.Error, TimeProvider.System);
if (roleRefused is { } code)
{
    return code;
}

WebApplication? app = null;
IHostApplicationLifetime? lifetime = null; // read before running: RunAsync disposes the host's services when it ends
try
{
    app = AgentApplication.Build(role!.Value, args);
    lifetime = app.Lifetime;
    await app.RunAsync();
    return 0;
}
catch (Exception canceled) when ((canceled is OperationCanceledException or Orleans.Runtime.OrleansLifecycleCanceledException)
    && lifetime?.ApplicationStopping.IsCancellationRequested == true)
{
    // Told to stop (SIGTERM) while still starting, as when a pod is deleted before it is ready: the host cancels its
    // start-up (Kestrel's bind, or the Orleans silo's lifecycle) and that is a clean stop, not a crash.
    return 0;
}
catch (OptionsValidationException invalid)
{
    // A configuration mistake is the operator's to fix: say what, without a stack trace.
    foreach (var failure in invalid.Failures)
    {
        Console.Error.WriteLine($"conductor: {failure}");
    }
    return 1;
}
catch (IOException bind) when (bind.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
{
    // Another process holds one of the agent's ports (INTERNAL_PORT, FEDERATION_PORT, ...): Kestrel's message names
    // the address; the operator needs that, not a stack trace.
    Console.Error.WriteLine($"conductor: {bind.Message} Choose a free port or stop the process that holds it.");
    return 1;
}
finally
{
    if (app is not null)
    {
        await app.DisposeAsync();
    }
}
