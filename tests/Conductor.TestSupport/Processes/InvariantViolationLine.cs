using System.Text.Json;

namespace Conductor.TestSupport.Processes;

/// <summary>The parts of one InvariantViolation stderr line, for tests to assert on.</summary>
public sealed record InvariantViolationLine(IReadOnlyList<string> Keys, string? Category, string? Reason, DateTimeOffset? Timestamp)
{
    /// <summary>Parses a line; throws <see cref="JsonException"/> when it is not a JSON object.</summary>
    public static InvariantViolationLine Parse(string line)
    {
        using var document = JsonDocument.Parse(line);
        var root = document.RootElement;
        string? Text(string name) => root.TryGetProperty(name, out var value) ? value.GetString() : null;
        return new InvariantViolationLine(
            root.EnumerateObject().Select(p => p.Name).ToArray(),
            Text("category"),
            Text("reason"),
            DateTimeOffset.TryParse(Text("timestamp"), out var timestamp) ? timestamp : null);
    }
}
