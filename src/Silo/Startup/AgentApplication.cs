using Conductor.Silo.Capabilities;
using Conductor.Silo.Dashboard;
using Conductor.Silo.Federation;
using Conductor.Silo.Health;
using Conductor.Silo.Kubernetes;
using Conductor.Silo.Management;
using Conductor.Silo.Observability;
using Conductor.Silo.Roles;
using Conductor.Silo.Tenant;
using Microsoft.Extensions.Options;

namespace Conductor.Silo.Startup;

/// <summary>Builds the agent host for one role. Runs only after the mode and role guards have passed.</summary>
public static class AgentApplication
{
    public static WebApplication Build(AgentRole role, string[] args)
    {
        // Before anything serialises a Kubernetes object: the options freeze on first use.
        ModelJsonMetadata.UseReflectionOnly();
        // Configured by environment (and arguments) only, and no appsettings file ships: watching one for changes would
        // be an inotify watcher and its thread for nothing (idle tenant -0.7 MB, bench/Conductor.Bench.Agent/README.md).
        var builder = WebApplication.CreateSlimBuilder([.. args, "--hostBuilder:reloadConfigOnChange=false"]);
        builder.Logging.ClearProviders();
        builder.Logging.AddJsonConsole(json => json.UseUtcTimestamp = true);

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddOptionsWithValidateOnStart<AgentOptions>().Bind(builder.Configuration);
        builder.Services.AddSingleton<IValidateOptions<AgentOptions>, AgentOptionsValidator>();
        builder.Services.AddAgentHealth();
        builder.AddAgentObservability();

        var agent = (builder.Configuration.Get<AgentOptions>() ?? new AgentOptions()).Validated(new AgentOptionsValidator());
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenAnyIP(agent.InternalPort));

        builder.AddCapabilityDeclaration();
        _ = role == AgentRole.Management ? builder.AddManagementRole() : builder.AddTenantRole();

        var app = builder.Build();
        app.MapAgentHealth(agent.InternalPort);
        app.MapAgentMetrics(agent.InternalPort);
        app.MapAgentDashboard(role, agent.InternalPort);
        if (role == AgentRole.Tenant)
        {
            app.MapTenantRole();
        }
        app.MapManagementFederation();
        return app;
    }
}
