using System.Text.Json;

namespace Conductor.Registry.Distribution;

/// <summary>The first entry of an OCI distribution error body: <c>{"errors":[{"code","message","detail"}]}</c>.</summary>
internal sealed record RegistryErrorBody(string Code, string Message)
{
    private const int MaxBodyChars = 512;

    /// <summary>Reads the error body; returns null when it is absent or not the OCI error shape.</summary>
    public static async Task<RegistryErrorBody?> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        string text;
        try
        {
            text = await response.Content.ReadAsStringAsync(cancellationToken);
        }
        catch (HttpRequestException)
        {
            return null;
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("errors", out var errors)
                && errors.ValueKind == JsonValueKind.Array
                && errors.GetArrayLength() > 0)
            {
                var first = errors[0];
                var code = first.TryGetProperty("code", out var c) ? c.GetString() ?? "" : "";
                var message = first.TryGetProperty("message", out var m) ? m.GetString() ?? "" : "";
                return new RegistryErrorBody(code, message);
            }
        }
        catch (JsonException)
        {
        }

        // Not the OCI shape (a proxy's HTML page, say): keep a bounded excerpt so the error still shows it.
        var excerpt = text.Length > MaxBodyChars ? text[..MaxBodyChars] + "…" : text;
        return new RegistryErrorBody("", excerpt.Trim());
    }

    public override string ToString() =>
        Code.Length == 0 ? Message : Message.Length == 0 ? Code : $"{Code}: {Message}";
}
