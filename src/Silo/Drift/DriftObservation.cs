using Conductor.Resources.Seam;

namespace Conductor.Silo.Drift;

/// <summary>
/// What one check saw for one signal: whether the object drifted, and, when it did, why and which object. The
/// correlation prefix starts a fresh occurrence's id (<c>drift-</c>, <c>version-{cluster}-</c>, …).
/// </summary>
public sealed record DriftObservation(string Signal, bool Drifted, string Reason, AffectedObjectRef Affected, string CorrelationPrefix);
