using Conductor.Observability;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Conductor.Silo.Observability;

/// <summary>
/// OpenTelemetry for the agent: Conductor's and Orleans' meters scraped as Prometheus text on <c>/metrics</c> of
/// INTERNAL_PORT, and traces (Conductor, Orleans grain calls, ASP.NET Core and gRPC server requests, HttpClient) exported over OTLP only when the standard
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set; without a collector, spans are not recorded at all.
/// </summary>
public static class ObservabilityExtensions
{
    public const string MetricsPath = "/metrics";
    public const string OtlpEndpointEnvVar = "OTEL_EXPORTER_OTLP_ENDPOINT";
    private const string ServiceName = "conductor";
    private static readonly string[] OrleansMeters = ["Microsoft.Orleans"];
    // Orleans' grain-call spans (the silo propagates the caller's context through them: AddActivityPropagation) and
    // .NET's own HttpClient spans, which carry a tenant's trace to the gateway in its traceparent header.
    private static readonly string[] TraceSources = ["Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application", "System.Net.Http"];

    public static WebApplicationBuilder AddAgentObservability(this WebApplicationBuilder builder)
    {
        builder.Services.AddConductorMetrics();
        var exportOtlp = !string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointEnvVar]);
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(ServiceName))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(ConductorMetrics.MeterName).AddMeter(OrleansMeters).AddAspNetCoreInstrumentation().AddPrometheusExporter();
                if (exportOtlp)
                {
                    metrics.AddOtlpExporter();
                }
            });
        if (exportOtlp)
        {
            builder.Services.AddOpenTelemetry().WithTracing(tracing => tracing
                .AddSource(ConductorTracing.SourceName)
                .AddSource(TraceSources)
                .AddAspNetCoreInstrumentation()
                .AddOtlpExporter());
        }
        return builder;
    }

    /// <summary>Maps the scrape endpoint on the internal port and creates the instruments, so the first scrape lists them.</summary>
    public static WebApplication MapAgentMetrics(this WebApplication app, int internalPort)
    {
        _ = app.Services.GetRequiredService<ConductorMetrics>();
        app.MapPrometheusScrapingEndpoint(MetricsPath).RequireHost($"*:{internalPort}");
        return app;
    }
}
