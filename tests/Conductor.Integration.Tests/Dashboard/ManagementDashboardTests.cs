using System.Net;
using System.Text.Json;
using Conductor.Integration.Tests.Observability;

namespace Conductor.Integration.Tests.Dashboard;

/// <summary>
/// The management agent serves its dashboard on INTERNAL_PORT: the page, and the state it polls. This branch's agent
/// runs no federation gateway yet, so the state says so rather than showing an empty tenant table as "none connected".
/// </summary>
public sealed class ManagementDashboardTests
{
    [Fact]
    public async Task Page_ManagementAgent_ServesHtmlWithTenantTable()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var agent = await StartedAgent.StartAsync("management", cancellationToken);

        using var response = await agent.Http.GetAsync(new Uri("/dashboard", UriKind.Relative), cancellationToken);
        var html = await response.Content.ReadAsStringAsync(cancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<tbody id=\"tenants\">", html, StringComparison.Ordinal);
        Assert.Contains("/dashboard/api/state", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task State_ManagementAgentWithoutGateway_SaysGatewayNotRunning()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var agent = await StartedAgent.StartAsync("management", cancellationToken);

        var json = await agent.Http.GetStringAsync(new Uri("/dashboard/api/state", UriKind.Relative), cancellationToken);
        using var state = JsonDocument.Parse(json);

        Assert.Equal("mgmt", state.RootElement.GetProperty("clusterRef").GetString());
        Assert.False(state.RootElement.GetProperty("federationGatewayRunning").GetBoolean());
        Assert.Equal(0, state.RootElement.GetProperty("tenants").GetArrayLength());
        Assert.Equal(0, state.RootElement.GetProperty("counts").GetProperty("connectedTenants").GetInt64());
    }

    [Fact]
    public async Task Page_TenantAgent_IsNotServed()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var agent = await StartedAgent.StartAsync("tenant", cancellationToken);

        using var response = await agent.Http.GetAsync(new Uri("/dashboard", UriKind.Relative), cancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
