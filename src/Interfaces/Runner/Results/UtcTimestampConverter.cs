using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Conductor.Runner.Results;

/// <summary>
/// Writes timestamps as RFC 3339 in UTC with a <c>Z</c> suffix and no trailing zero fractions, as Kubernetes does,
/// so results read the same in a ConfigMap as in resource status. Reads any RFC 3339 offset and normalises to UTC.
/// </summary>
public sealed class UtcTimestampConverter : JsonConverter<DateTimeOffset>
{
    private const string Format = "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'";

    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString();
        if (text is null || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var value))
        {
            throw new JsonException($"'{text}' is not an RFC 3339 timestamp (expected e.g. 2026-11-27T10:00:00Z)");
        }
        return value.ToUniversalTime();
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture));
}
