using Conductor.Runner;
using Conductor.Silo.Roles;
using Conductor.Silo.Startup;

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

Console.Error.WriteLine($"conductor: role {RoleGuard.ToValue(role!.Value)} is not yet implemented in this build");
return 1;
