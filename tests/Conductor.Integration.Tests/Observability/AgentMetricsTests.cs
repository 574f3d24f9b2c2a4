using System.Text.Json;

namespace Conductor.Integration.Tests.Observability;

/// <summary>
/// The real agent, in each role, serves Prometheus text on <c>/metrics</c> of INTERNAL_PORT listing every Conductor
/// instrument the issue names (at zero before any event), and writes its logs as one JSON object per stdout line.
/// </summary>
public sealed class AgentMetricsTests
{
    public static readonly TheoryData<string> Roles = new("management", "tenant");

    private static readonly string[] ExpectedSeries =
    [
        "conductor_federation_connected_tenants{",
        "conductor_federation_degraded_tenants{",
        "conductor_audit_events_received_total{",
        "conductor_audit_events_acked_total{",
        "conductor_signatures_total{",
        "conductor_sequencer_steps_total{otel_scope_name=\"Conductor\",outcome=\"succeeded\"}",
        "conductor_sequencer_steps_total{otel_scope_name=\"Conductor\",outcome=\"failed\"}",
        "conductor_webhook_decisions_total{otel_scope_name=\"Conductor\",decision=\"allowed\"}",
        "conductor_webhook_decisions_total{otel_scope_name=\"Conductor\",decision=\"denied\"}",
    ];

    [Theory]
    [MemberData(nameof(Roles))]
    public async Task Metrics_ReadyAgent_ListsEveryConductorInstrument(string role)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var agent = await StartedAgent.StartAsync(role, cancellationToken);

        using var response = await agent.Http.GetAsync(new Uri("/metrics", UriKind.Relative), cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);

        Assert.True(response.IsSuccessStatusCode, $"/metrics answered {(int)response.StatusCode}");
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        Assert.All(ExpectedSeries, series => Assert.Contains(series, body, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Metrics_ManagementAgent_ListsOrleansMeter()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var agent = await StartedAgent.StartAsync("management", cancellationToken);

        var body = await agent.Http.GetStringAsync(new Uri("/metrics", UriKind.Relative), cancellationToken);

        Assert.Contains("otel_scope_name=\"Microsoft.Orleans\"", body, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Roles))]
    public async Task Logs_ReadyAgent_EveryStdoutLineIsJsonObject(string role)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var agent = await StartedAgent.StartAsync(role, cancellationToken);
        await agent.Program.StopAsync(TimeSpan.FromSeconds(30));

        var lines = agent.Program.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        Assert.NotEmpty(lines);
        Assert.All(lines, line =>
        {
            using var document = JsonDocument.Parse(line);
            Assert.Equal(JsonValueKind.Object, document.RootElement.ValueKind);
            Assert.True(document.RootElement.TryGetProperty("LogLevel", out _), $"no LogLevel in {line}");
        });
    }
}
