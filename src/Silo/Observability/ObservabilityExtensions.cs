using System.Runtime.CompilerServices;
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

    /// <summary>
    /// Data points kept per metric stream. OpenTelemetry allocates every stream's points up front for its limit, 2 000 by
    /// default: with Orleans' hundred-odd instruments that was 20 MB of the idle management silo's heap. The tags in use
    /// (grain type, route, status, Conductor's outcome and decision) stay far below this limit; a label set past it is
    /// folded into the stream's overflow point, not dropped.
    /// </summary>
    public const int CardinalityLimit = 100;
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
                metrics.AddMeter(ConductorMetrics.MeterName).AddMeter(OrleansMeters).AddAspNetCoreInstrumentation().AddPrometheusExporter()
                    .AddView(_ => new MetricStreamConfiguration { CardinalityLimit = CardinalityLimit });
                if (exportOtlp)
                {
                    ExportOverOtlp(metrics);
                }
            });
        if (exportOtlp)
        {
            TraceOverOtlp(builder.Services);
        }
        return builder;
    }

    // The OTLP calls live in their own methods so the exporter's assembly (and Protobuf) loads only when a collector
    // is configured: the JIT resolves every method a method calls when it compiles it.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ExportOverOtlp(MeterProviderBuilder metrics) => metrics.AddOtlpExporter();

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void TraceOverOtlp(IServiceCollection services) =>
        services.AddOpenTelemetry().WithTracing(tracing => tracing
            .AddSource(ConductorTracing.SourceName)
            .AddSource(TraceSources)
            .AddAspNetCoreInstrumentation()
            .AddOtlpExporter());

    /// <summary>Maps the scrape endpoint on the internal port and creates the instruments, so the first scrape lists them.</summary>
    public static WebApplication MapAgentMetrics(this WebApplication app, int internalPort)
    {
        _ = app.Services.GetRequiredService<ConductorMetrics>();
        app.MapPrometheusScrapingEndpoint(MetricsPath).RequireHost($"*:{internalPort}");
        return app;
    }
}
