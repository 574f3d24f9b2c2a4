using System.Collections.Immutable;

namespace Conductor.Federation;

/// <summary>
/// The one revocation ledger of the management cluster (key 0): records revocations for every tenant in a journal
/// on the management cluster, grouping those that arrive together into one write, and answers which revocations a
/// cluster holds.
/// </summary>
public interface IRevocationLedgerGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// Records <paramref name="notice"/> durably; returns false when it was recorded before (same revocation id),
    /// true once this call's write is stored.
    /// </summary>
    Task<bool> RecordAsync(RevocationNotice notice);

    /// <summary>The revocations recorded for <paramref name="clusterId"/>, oldest first.</summary>
    Task<ImmutableArray<RevocationNotice>> ListAsync(string clusterId);
}
