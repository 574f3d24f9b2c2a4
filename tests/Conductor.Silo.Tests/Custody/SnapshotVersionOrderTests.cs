using Conductor.Silo.Custody;

namespace Conductor.Silo.Tests.Custody;

public sealed class SnapshotVersionOrderTests
{
    [Theory]
    [InlineData("2026-11-02T00:00:00Z", "2026-11-01T23:59:59Z", true)]
    [InlineData("2026-11-01T00:00:00.500Z", "2026-11-01T00:00:00Z", true)]
    [InlineData("2026-11-01T02:00:00+01:00", "2026-11-01T00:30:00Z", true)]
    [InlineData("2026-11-01T00:00:00Z", "2026-11-01T01:00:00+01:00", false)] // the same instant
    [InlineData("2026-11-01T00:00:00Z", "2026-11-02T00:00:00Z", false)]
    [InlineData("10", "9", true)]
    [InlineData("9", "10", false)]
    public void IsNewer_ComparableVersions_ComparesInstantsOrNumbers(string candidate, string than, bool newer) =>
        Assert.Equal(newer, SnapshotVersionOrder.IsNewer(candidate, than));

    [Theory]
    [InlineData("v10", "v9")]
    [InlineData("2026-11-02T00:00:00Z", "7")]
    [InlineData("release-b", "release-a")]
    public void IsNewer_LabelsNotComparable_False(string candidate, string than) =>
        Assert.False(SnapshotVersionOrder.IsNewer(candidate, than));
}
