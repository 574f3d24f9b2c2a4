using Conductor.Runner;

namespace Conductor.Silo.Roles;

/// <summary>
/// Reads the agent's role from <see cref="RoleEnvVar"/>. The value must be exactly <c>management</c> or
/// <c>tenant</c>: a wrong role would start the wrong half of the platform on a cluster, so the agent never guesses
/// and refuses with an InvariantViolation instead (DESIGN §1).
/// </summary>
public static class RoleGuard
{
    public const string RoleEnvVar = "CONDUCTOR_ROLE";
    public const string ManagementValue = "management";
    public const string TenantValue = "tenant";

    /// <summary>The role named by <paramref name="value"/>, or the reason it names none.</summary>
    public static (AgentRole? Role, string? Reason) Parse(string? value) => value switch
    {
        ManagementValue => (AgentRole.Management, null),
        TenantValue => (AgentRole.Tenant, null),
        null or "" => (null, $"{RoleEnvVar} must be {ManagementValue} or {TenantValue}: it is not set. " +
                             "The agent never infers its role; set it on the Deployment (the compiler's enable output does)."),
        _ => (null, $"{RoleEnvVar} must be {ManagementValue} or {TenantValue}: got '{value}'. " +
                    "Values are exact and lower-case; the agent never infers its role."),
    };

    /// <summary>
    /// Parses the role; on failure writes the InvariantViolation line and returns its exit code in
    /// <c>ExitCode</c>.
    /// </summary>
    public static (AgentRole? Role, int? ExitCode) Enforce(string? value, TextWriter stderr, TimeProvider time)
    {
        var (role, reason) = Parse(value);
        return reason is null ? (role, null) : (null, InvariantViolation.Write(stderr, reason, time));
    }

    /// <summary>The wire value of a role, as <see cref="RoleEnvVar"/> carries it.</summary>
    public static string ToValue(AgentRole role) => role == AgentRole.Management ? ManagementValue : TenantValue;
}
