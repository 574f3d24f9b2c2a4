using Conductor.Naming;
using Grpc.Core;

namespace Conductor.Silo.Federation.Gateway;

/// <summary>
/// Request headers of a federation stream. <see cref="Replica"/> names the tenant replica (its pod name), whose WAL
/// the stream ships; <see cref="Role"/> says whether the stream is the cluster's control stream (the Lease leader's:
/// session, heartbeats, revocations, onboarding) or an audit-only stream of a follower. Neither can change which
/// cluster the stream speaks for: that is the certificate's SAN. A stream without them is a single-replica agent's
/// control stream.
/// </summary>
public static class FederationStreamHeaders
{
    public const string Replica = "conductor-replica";
    public const string Role = "conductor-stream-role";
    public const string ControlRole = "control";
    public const string AuditRole = "audit";

    public static Metadata For(string replica, bool control)
    {
        var headers = new Metadata { { Role, control ? ControlRole : AuditRole } };
        if (replica.Length > 0)
        {
            headers.Add(Replica, replica);
        }

        return headers;
    }

    /// <summary>Reads the replica and role, or returns null with <paramref name="refusal"/> saying what is wrong.</summary>
    public static (string Replica, bool Control)? Read(Metadata headers, out string refusal)
    {
        refusal = "";
        var replica = headers.GetValue(Replica) ?? "";
        if (replica.Length > 0 && !DnsLabel.IsValid(replica))
        {
            refusal = $"header {Replica} '{replica}' is not a DNS-1123 label (a pod name: lowercase letters, digits and '-', at most 63 characters)";
            return null;
        }

        var role = headers.GetValue(Role) ?? ControlRole;
        if (role is not (ControlRole or AuditRole))
        {
            refusal = $"header {Role} '{role}' must be '{ControlRole}' or '{AuditRole}'";
            return null;
        }

        return (replica, role == ControlRole);
    }
}
