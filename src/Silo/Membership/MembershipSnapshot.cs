using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using k8s.Models;
using Orleans;

namespace Conductor.Silo.Membership;

/// <summary>
/// The whole membership table of one cluster as read from its ConfigMap at one resourceVersion: the table version
/// (key <c>version</c>) and one row per silo (keys <c>silo-…</c>). Because table version and rows live in one object,
/// a single resourceVersion-guarded replace writes a row and the new table version atomically.
/// </summary>
internal sealed record MembershipSnapshot(TableVersion Version, ImmutableDictionary<string, MembershipRow> Rows, string? ResourceVersion)
{
    public const string VersionKey = "version";

    /// <summary>The etag a reader sees while the ConfigMap does not exist; no real etag ever equals it.</summary>
    public const string AbsentEtag = "absent";

    /// <summary>ConfigMaps hold at most 1 MiB of data (keys and values together).</summary>
    public const int MaxDataBytes = 1024 * 1024;

    private static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public static MembershipSnapshot Absent { get; } =
        new(new TableVersion(0, AbsentEtag), ImmutableDictionary<string, MembershipRow>.Empty.WithComparers(StringComparer.Ordinal), null);

    public bool Exists => ResourceVersion is not null;

    public static string NewEtag() => Guid.NewGuid().ToString("N");

    public static MembershipSnapshot Decode(V1ConfigMap configMap)
    {
        var where = $"ConfigMap {configMap.Metadata.NamespaceProperty}/{configMap.Metadata.Name}";
        var data = configMap.Data ?? new Dictionary<string, string>();
        if (!data.TryGetValue(VersionKey, out var versionJson))
        {
            throw new InvalidDataException($"{where} has no '{VersionKey}' key; it is not an Orleans membership table. Delete it to let the silos recreate it.");
        }
        var version = Parse<StoredVersion>(where, VersionKey, versionJson);
        var rows = ImmutableDictionary.CreateBuilder<string, MembershipRow>(StringComparer.Ordinal);
        foreach (var (key, value) in data)
        {
            if (key != VersionKey)
            {
                rows[key] = Parse<MembershipRow>(where, key, value);
            }
        }
        return new MembershipSnapshot(new TableVersion(version.Version, version.ETag), rows.ToImmutable(), configMap.Metadata.ResourceVersion);
    }

    public Dictionary<string, string> Encode()
    {
        var data = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [VersionKey] = JsonSerializer.Serialize(new StoredVersion(Version.Version, Version.VersionEtag), Json),
        };
        foreach (var (key, row) in Rows)
        {
            data[key] = JsonSerializer.Serialize(row, Json);
        }
        return data;
    }

    /// <summary>The bytes the API server counts against <see cref="MaxDataBytes"/>.</summary>
    public static int DataBytes(IReadOnlyDictionary<string, string> data) =>
        data.Sum(pair => Encoding.UTF8.GetByteCount(pair.Key) + Encoding.UTF8.GetByteCount(pair.Value));

    private static T Parse<T>(string where, string key, string json)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json, Json) ?? throw new JsonException("the value is null");
        }
        catch (Exception ex) when (ex is JsonException or FormatException or ArgumentException)
        {
            throw new InvalidDataException($"{where} key '{key}' is not a valid membership {typeof(T).Name}: {ex.Message}", ex);
        }
    }

    private sealed record StoredVersion(
        [property: JsonPropertyName("version")] int Version,
        [property: JsonPropertyName("etag")] string ETag);
}
