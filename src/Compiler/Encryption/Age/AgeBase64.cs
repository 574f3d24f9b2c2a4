namespace Conductor.Compiler.Encryption.Age;

/// <summary>The unpadded ("raw") standard base64 of the age header; decoding refuses non-canonical text.</summary>
internal static class AgeBase64
{
    public static string Encode(ReadOnlySpan<byte> data) => Convert.ToBase64String(data).TrimEnd('=');

    public static byte[]? TryDecode(string text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '+' && c != '/')
            {
                return null;
            }
        }
        if (text.Length % 4 == 1)
        {
            return null;
        }
        var padded = text + new string('=', (4 - text.Length % 4) % 4);
        var data = Convert.FromBase64String(padded);
        // Canonical: unused trailing bits must be zero, which re-encoding checks.
        return Encode(data) == text ? data : null;
    }
}
