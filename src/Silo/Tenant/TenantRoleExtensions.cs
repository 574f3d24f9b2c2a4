using Conductor.Silo.Custody;
using Conductor.Silo.Drift;
using Conductor.Silo.Permissions;
using Conductor.Silo.Sweep;
using Conductor.Silo.Tenant.Federation;
using Conductor.Silo.Webhook;

namespace Conductor.Silo.Tenant;

/// <summary>
/// Composes the tenant role: no silo; a generic host whose services dial management and govern the cluster
/// locally. Each capability (federation client, receipts, webhook, PermissionService, drift) adds itself here.
/// </summary>
public static class TenantRoleExtensions
{
    public static WebApplicationBuilder AddTenantRole(this WebApplicationBuilder builder)
    {
        builder.Services.AddAdmissionWebhooks();
        builder.Services.AddTenantBootstrapSweep();
        builder.Services.AddPermissionService();
        builder.AddCustodyVerification();
        builder.Services.AddTenantDriftDetection();

        // The federation client starts once management's address is configured (MGMT_ENDPOINT), as the reference does.
        if (builder.Configuration[FederationClientOptions.EndpointVariable] is { Length: > 0 })
        {
            builder.Services.AddFederationClient();
        }
        return builder;
    }

    /// <summary>Maps the tenant role's endpoints (webhooks on their own port).</summary>
    public static WebApplication MapTenantRole(this WebApplication app)
    {
        app.MapAdmissionWebhooks();
        app.MapPermissionService();
        return app;
    }
}
