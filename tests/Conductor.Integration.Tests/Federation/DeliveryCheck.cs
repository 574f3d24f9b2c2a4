using Conductor.Federation;

namespace Conductor.Integration.Tests.Federation;

/// <summary>Proves what management stored for a tenant: every sequence from 1 to the last, once, with its own event.</summary>
public static class DeliveryCheck
{
    public static void ExactlyOnce(IReadOnlyList<AuditRecord> stored, ulong lastSequence, IReadOnlyDictionary<ulong, string> reportedDurable)
    {
        var sequences = stored.Select(e => e.Sequence).ToList();
        Assert.Equal(sequences.Distinct().Count(), sequences.Count); // nothing duplicated
        Assert.Equal(Enumerable.Range(1, (int)lastSequence).Select(i => (ulong)i), sequences); // nothing lost, in order
        foreach (var (sequence, name) in reportedDurable)
        {
            Assert.Equal(name, stored[(int)sequence - 1].Name); // each sequence carries the event recorded under it
        }
    }
}
