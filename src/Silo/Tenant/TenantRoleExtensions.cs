using Conductor.Silo.Tenant.Federation;

namespace Conductor.Silo.Tenant;

/// <summary>
/// Composes the tenant role: no silo; a generic host whose services dial management and govern the cluster
/// locally. Each capability (federation client, receipts, webhook, PermissionService, drift) adds itself here.
/// </summary>
public static class TenantRoleExtensions
{
    public static WebApplicationBuilder AddTenantRole(this WebApplicationBuilder builder)
    {
        // The federation client starts once management's address is configured (MGMT_ENDPOINT), as the reference does.
        if (builder.Configuration[FederationClientOptions.EndpointVariable] is { Length: > 0 })
        {
            builder.Services.AddFederationClient();
        }

        return builder;
    }
}
