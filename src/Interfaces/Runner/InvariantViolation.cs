using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Conductor.Runner;

/// <summary>
/// The one-line JSON document a program writes to stderr before exiting 2 when it is asked to break a
/// platform invariant (DESIGN §1): <c>{"category":"InvariantViolation","reason":…,"timestamp":…}</c>.
/// </summary>
public static class InvariantViolation
{
    public const string Category = "InvariantViolation";
    public const int ExitCode = 2;

    /// <summary>Writes the line and returns <see cref="ExitCode"/> for the caller to exit with.</summary>
    public static int Write(TextWriter stderr, string reason, TimeProvider time)
    {
        var timestamp = time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
        using var buffer = new MemoryStream();
        // Relaxed escaping keeps quotes and apostrophes readable on an operator's terminal; the line stays valid JSON.
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("category", Category);
            json.WriteString("reason", reason);
            json.WriteString("timestamp", timestamp);
            json.WriteEndObject();
        }
        stderr.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
        stderr.Flush();
        return ExitCode;
    }
}
