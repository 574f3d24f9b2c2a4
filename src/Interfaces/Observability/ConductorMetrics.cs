using System.Diagnostics.Metrics;

namespace Conductor.Observability;

/// <summary>
/// The one set of Conductor's own instruments, on the meter <see cref="MeterName"/>. Register it as a singleton and
/// record into it wherever the event happens (gateway, grains, webhook); the agent exports the meter on
/// <c>/metrics</c> of INTERNAL_PORT. The instruments are observable, read at scrape time from counts kept here, so
/// every series is listed from the first scrape (at zero) whenever the exporter started listening.
/// </summary>
public sealed class ConductorMetrics
{
    public const string MeterName = "Conductor";
    public const string OutcomeTag = "outcome";
    public const string DecisionTag = "decision";

    private long _connectedTenants;
    private long _degradedTenants;
    private long _auditEventsReceived;
    private long _auditEventsAcked;
    private long _signatures;
    private readonly long[] _sequencerSteps = new long[StepOutcomes.All.Count];
    private readonly long[] _webhookDecisions = new long[WebhookDecisions.All.Count];

    public ConductorMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        meter.CreateObservableUpDownCounter("conductor.federation.connected_tenants", () => Interlocked.Read(ref _connectedTenants),
            description: "Tenant agents with an open federation stream.");
        meter.CreateObservableUpDownCounter("conductor.federation.degraded_tenants", () => Interlocked.Read(ref _degradedTenants),
            description: "Connected tenants with a degraded channel or missed heartbeats.");
        meter.CreateObservableCounter("conductor.audit.events.received", () => Interlocked.Read(ref _auditEventsReceived),
            description: "Audit events received from tenant WALs.");
        meter.CreateObservableCounter("conductor.audit.events.acked", () => Interlocked.Read(ref _auditEventsAcked),
            description: "Audit events acknowledged back to tenants once durable.");
        meter.CreateObservableCounter("conductor.signatures", () => Interlocked.Read(ref _signatures),
            description: "Signatures produced by the management signing grain.");
        meter.CreateObservableCounter("conductor.sequencer.steps", () => Labelled(_sequencerSteps, StepOutcomes.All, OutcomeTag),
            description: "RunnerConfig steps finished, by outcome.");
        meter.CreateObservableCounter("conductor.webhook.decisions", () => Labelled(_webhookDecisions, WebhookDecisions.All, DecisionTag),
            description: "Admission webhook decisions, by decision.");
    }

    public void TenantConnected() => Interlocked.Increment(ref _connectedTenants);

    public void TenantDisconnected() => Interlocked.Decrement(ref _connectedTenants);

    public void TenantDegraded() => Interlocked.Increment(ref _degradedTenants);

    public void TenantRecovered() => Interlocked.Decrement(ref _degradedTenants);

    public void AuditEventsReceived(long count) => Interlocked.Add(ref _auditEventsReceived, count);

    public void AuditEventsAcked(long count) => Interlocked.Add(ref _auditEventsAcked, count);

    public void SignatureProduced() => Interlocked.Increment(ref _signatures);

    /// <param name="outcome">One of <see cref="StepOutcomes"/>.</param>
    public void SequencerStepFinished(string outcome) => Interlocked.Increment(ref _sequencerSteps[StepOutcomes.IndexOf(outcome)]);

    /// <param name="decision">One of <see cref="WebhookDecisions"/>.</param>
    public void WebhookDecided(string decision) => Interlocked.Increment(ref _webhookDecisions[WebhookDecisions.IndexOf(decision)]);

    /// <summary>The current counts, for views that show them directly (the dashboard).</summary>
    public ConductorMetricsSnapshot Snapshot() => new(
        Interlocked.Read(ref _connectedTenants),
        Interlocked.Read(ref _degradedTenants),
        Interlocked.Read(ref _auditEventsReceived),
        Interlocked.Read(ref _auditEventsAcked),
        Interlocked.Read(ref _signatures));

    private static IEnumerable<Measurement<long>> Labelled(long[] counts, IReadOnlyList<string> values, string tag)
    {
        for (var i = 0; i < values.Count; i++)
        {
            yield return new Measurement<long>(Interlocked.Read(ref counts[i]), new KeyValuePair<string, object?>(tag, values[i]));
        }
    }
}
