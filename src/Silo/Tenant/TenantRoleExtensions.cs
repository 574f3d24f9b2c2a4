using Conductor.Silo.Custody;

namespace Conductor.Silo.Tenant;

/// <summary>
/// Composes the tenant role: no silo; a generic host whose services dial management and govern the cluster
/// locally. Each capability (federation client, receipts, webhook, PermissionService, drift) adds itself here.
/// </summary>
public static class TenantRoleExtensions
{
    public static WebApplicationBuilder AddTenantRole(this WebApplicationBuilder builder) => builder.AddCustodyVerification();
}
