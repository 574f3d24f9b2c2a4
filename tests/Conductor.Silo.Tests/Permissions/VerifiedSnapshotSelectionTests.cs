using Conductor.Resources.Guardian;
using Conductor.Silo.Permissions;

namespace Conductor.Silo.Tests.Permissions;

/// <summary>Only a snapshot its receipt vouches for (verified, acknowledged for that version, not degraded) is ever used.</summary>
public sealed class VerifiedSnapshotSelectionTests
{
    private static PermissionSnapshot Snapshot(string name, string version, string cluster = "ccs-dev") =>
        new() { Metadata = new() { Name = name }, Spec = new PermissionSnapshotSpec { TargetCluster = cluster, Version = version } };

    private static PermissionSnapshotReceipt Receipt(string name, PermissionSnapshotReceiptStatus? status, string cluster = "ccs-dev") =>
        new() { Metadata = new() { Name = name }, Spec = new PermissionSnapshotReceiptSpec { SnapshotRef = name, TargetCluster = cluster }, Status = status };

    private static PermissionSnapshotReceiptStatus Verified(string version, DateTimeOffset? at = null) =>
        new() { Verified = true, Acknowledged = true, AcknowledgedVersion = version, AcknowledgedAt = at };

    [Fact]
    public void Select_VerifiedAcknowledgedReceipt_ReturnsItsSnapshot()
    {
        var chosen = VerifiedSnapshotSelection.Select([Snapshot("s", "v1")], [Receipt("s", Verified("v1"))], "ccs-dev");

        Assert.Equal("s", chosen?.Metadata.Name);
    }

    public static TheoryData<string, PermissionSnapshotReceiptStatus?> Unvouched => new()
    {
        { "no status", null },
        { "not verified", new PermissionSnapshotReceiptStatus { Verified = false, Acknowledged = true, AcknowledgedVersion = "v1" } },
        { "not acknowledged", new PermissionSnapshotReceiptStatus { Verified = true, AcknowledgedVersion = "v1" } },
        { "degraded", new PermissionSnapshotReceiptStatus { Verified = true, Acknowledged = true, AcknowledgedVersion = "v1", DegradedSecurityState = true } },
        { "older version", new PermissionSnapshotReceiptStatus { Verified = true, Acknowledged = true, AcknowledgedVersion = "v0" } },
    };

    [Theory]
    [MemberData(nameof(Unvouched))]
    public void Select_ReceiptDoesNotVouch_ReturnsNothing(string because, PermissionSnapshotReceiptStatus? status)
    {
        var chosen = VerifiedSnapshotSelection.Select([Snapshot("s", "v1")], [Receipt("s", status)], "ccs-dev");

        Assert.True(chosen is null, because);
    }

    [Fact]
    public void Select_NoReceipt_ReturnsNothing()
    {
        Assert.Null(VerifiedSnapshotSelection.Select([Snapshot("s", "v1")], [], "ccs-dev"));
    }

    [Fact]
    public void Select_SnapshotForAnotherCluster_ReturnsNothing()
    {
        var chosen = VerifiedSnapshotSelection.Select([Snapshot("s", "v1", "ccs-test")], [Receipt("s", Verified("v1"), "ccs-test")], "ccs-dev");

        Assert.Null(chosen);
    }

    [Fact]
    public void Select_TwoVerified_ReturnsTheMostRecentlyAcknowledged()
    {
        var now = DateTimeOffset.Parse("2026-11-27T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

        var chosen = VerifiedSnapshotSelection.Select(
            [Snapshot("a", "v1"), Snapshot("b", "v2")],
            [Receipt("a", Verified("v1", now)), Receipt("b", Verified("v2", now.AddMinutes(1)))],
            "ccs-dev");

        Assert.Equal("b", chosen?.Metadata.Name);
    }
}
