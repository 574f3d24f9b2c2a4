using System.Diagnostics;

namespace Conductor.Observability;

/// <summary>
/// The activity source for Conductor's own spans (federation gateway calls, grain operations). Start activities from
/// <see cref="Source"/>; the agent exports them over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set.
/// </summary>
public static class ConductorTracing
{
    public const string SourceName = "Conductor";

    public static readonly ActivitySource Source = new(SourceName);
}
