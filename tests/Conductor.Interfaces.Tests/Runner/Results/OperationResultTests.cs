using System.Text.Json;
using Conductor.Runner.Results;

namespace Conductor.Interfaces.Tests.Runner.Results;

public sealed class OperationResultTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);

    internal static OperationResult Succeeded() => new()
    {
        Capability = "etcd-backup",
        Phase = "s3-upload",
        Status = OperationStatus.Succeeded,
        StartedAt = Start,
        CompletedAt = Start.AddSeconds(42.5),
        Artifacts =
        [
            new ArtifactReference
            {
                Name = "etcd-snapshot",
                Kind = ArtifactKind.S3Object,
                Reference = "s3://ont-backups/etcd-backup-ccs-dev-20261127T100000Z.snapshot",
                Checksum = "sha256:2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae",
            },
            new ArtifactReference { Name = "scale-up-request", Kind = ArtifactKind.ConfigMap, Reference = "seam-tenant-ccs-dev/node-scale-up-ccs-dev" },
            new ArtifactReference { Name = "cluster-pack", Kind = ArtifactKind.OciImage, Reference = "registry.local/packs/cilium@sha256:abc" },
            new ArtifactReference { Name = "kubeconfig-refreshed", Kind = ArtifactKind.Secret, Reference = "seam-tenant-ccs-dev/seam-mc-ccs-dev-kubeconfig" },
        ],
        Steps =
        [
            new OperationStep { Name = "etcd-snapshot", Status = OperationStepStatus.Succeeded, StartedAt = Start, CompletedAt = Start.AddSeconds(30) },
            new OperationStep { Name = "s3-upload", Status = OperationStepStatus.Succeeded, StartedAt = Start.AddSeconds(30), CompletedAt = Start.AddSeconds(42.5), Message = "uploaded 1048576 bytes" },
        ],
    };

    internal static OperationResult Failed() => new()
    {
        Capability = "node-reboot",
        Phase = "reboot:10.0.0.2",
        Status = OperationStatus.Failed,
        StartedAt = Start,
        CompletedAt = Start.AddMinutes(2),
        FailureReason = new FailureReason { Category = FailureCategory.ExecutionFailure, Detail = "Talos Reboot on node 10.0.0.2 failed: connection refused" },
        Steps =
        [
            new OperationStep { Name = "reboot:10.0.0.1", Status = OperationStepStatus.Succeeded, StartedAt = Start, CompletedAt = Start.AddMinutes(1) },
            new OperationStep { Name = "reboot:10.0.0.2", Status = OperationStepStatus.Failed, StartedAt = Start.AddMinutes(1), Message = "connection refused" },
            new OperationStep { Name = "reboot:10.0.0.3", Status = OperationStepStatus.Skipped },
        ],
    };

    public static TheoryData<string> GoldenNames() => ["operation-result-succeeded.json", "operation-result-failed.json"];

    private static OperationResult ByGoldenName(string name) => name.Contains("succeeded", StringComparison.Ordinal) ? Succeeded() : Failed();

    [Theory]
    [MemberData(nameof(GoldenNames))]
    public void Serialize_KnownResult_EqualsGolden(string golden) =>
        Assert.Equal(Golden.Read(golden), OperationResultJson.Serialize(ByGoldenName(golden)));

    [Theory]
    [MemberData(nameof(GoldenNames))]
    public void Deserialize_Golden_EqualsKnownResult(string golden) =>
        Assert.Equivalent(ByGoldenName(golden), OperationResultJson.Deserialize(Golden.Read(golden)), strict: true);

    [Fact]
    public void Serialize_Succeeded_OmitsFailureReasonAndKeepsEmptyLists()
    {
        var result = new OperationResult { Capability = "etcd-defrag", Phase = "", Status = OperationStatus.Succeeded, StartedAt = Start, CompletedAt = Start };

        using var doc = JsonDocument.Parse(OperationResultJson.Serialize(result));

        Assert.Equal(
            ["capability", "phase", "status", "startedAt", "completedAt", "artifacts", "steps"],
            doc.RootElement.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal(0, doc.RootElement.GetProperty("artifacts").GetArrayLength());
        Assert.Equal("2026-11-27T10:00:00Z", doc.RootElement.GetProperty("startedAt").GetString());
    }

    [Fact]
    public void Deserialize_OffsetTimestamp_NormalisedToUtc()
    {
        var json = """{"capability":"x","phase":"","status":"Failed","startedAt":"2026-11-27T12:00:00+02:00","completedAt":"2026-11-27T10:00:01Z","artifacts":[],"steps":[]}""";

        var result = OperationResultJson.Deserialize(json);

        Assert.Equal(TimeSpan.Zero, result.StartedAt.Offset);
        Assert.Equal(Start, result.StartedAt);
    }

    [Fact]
    public void Deserialize_MissingStatus_ThrowsNamingProperty()
    {
        var json = """{"capability":"x","phase":"","startedAt":"2026-11-27T10:00:00Z","completedAt":"2026-11-27T10:00:00Z"}""";

        var error = Assert.Throws<JsonException>(() => OperationResultJson.Deserialize(json));

        Assert.Contains("status", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FailureCategory_Names_ExactlyTheSevenCategories() =>
        Assert.Equal(
            ["ValidationFailure", "CapabilityUnavailable", "ExecutionFailure", "ExternalDependencyFailure", "InvariantViolation", "LicenseViolation", "StorageUnavailable"],
            Enum.GetValues<FailureCategory>().Select(c => JsonSerializer.Serialize(c).Trim('"')).ToArray());

    [Fact]
    public void OperationStatus_Names_SucceededAndFailed() =>
        Assert.Equal(["Succeeded", "Failed"], Enum.GetValues<OperationStatus>().Select(s => JsonSerializer.Serialize(s).Trim('"')).ToArray());

    [Fact]
    public void ArtifactKind_Names_ReferenceKinds() =>
        Assert.Equal(["ConfigMap", "Secret", "OCIImage", "S3Object", "KubernetesResource"], Enum.GetValues<ArtifactKind>().Select(s => JsonSerializer.Serialize(s).Trim('"')).ToArray());

    [Fact]
    public void Deserialize_UnknownCategory_Throws()
    {
        var json = """{"capability":"x","phase":"","status":"Failed","startedAt":"2026-11-27T10:00:00Z","completedAt":"2026-11-27T10:00:00Z","failureReason":{"category":"Oops","detail":"d"}}""";

        Assert.Throws<JsonException>(() => OperationResultJson.Deserialize(json));
    }
}
