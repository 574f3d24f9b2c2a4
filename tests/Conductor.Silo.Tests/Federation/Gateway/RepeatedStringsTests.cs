using Conductor.Federation.Protocol;
using Conductor.Silo.Federation.Gateway;
using Conductor.Silo.Federation.Protocol;
using Google.Protobuf;

namespace Conductor.Silo.Tests.Federation.Gateway;

public sealed class RepeatedStringsTests
{
    [Fact]
    public void ToDomain_TwoParsedEventsWithEqualFields_ShareOneInstanceOfEachRepeatedField()
    {
        var strings = new RepeatedStrings();
        var wire = new AuditEvent { Sequence = 1, Actor = "alice", Verb = "update", Resource = "configmaps", Namespace = "ns", Name = "a", Outcome = "allowed", MatchedPolicy = "p" };
        var first = AuditEvent.Parser.ParseFrom(wire.ToByteArray()).ToDomain(strings.Get);
        wire.Sequence = 2;
        wire.Name = "b";
        var second = AuditEvent.Parser.ParseFrom(wire.ToByteArray()).ToDomain(strings.Get);

        Assert.Same(first.Actor, second.Actor);
        Assert.Same(first.Verb, second.Verb);
        Assert.Same(first.MatchedPolicy, second.MatchedPolicy);
        Assert.Equal(wire.ToDomain() with { Sequence = 2 }, second); // same values as the plain mapping
    }

    [Fact]
    public void Get_MoreDistinctValuesThanTheBound_ReturnsEveryValueUnchanged()
    {
        var strings = new RepeatedStrings();
        var values = Enumerable.Range(0, RepeatedStrings.MaxEntries + 10).Select(i => $"value-{i}").ToList();

        var results = values.Select(strings.Get).ToList();
        var late = new string('v', 1) + "alue-" + (RepeatedStrings.MaxEntries + 5);

        Assert.Equal(values, results);
        Assert.Equal(late, strings.Get(late));
        Assert.NotSame(values[RepeatedStrings.MaxEntries + 5], strings.Get(late)); // past the bound nothing is kept
    }
}
