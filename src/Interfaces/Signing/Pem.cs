using System.Security.Cryptography;

namespace Conductor.Signing;

/// <summary>Finds RFC 7468 PEM blocks by label; the BCL parser does the strict textual work.</summary>
internal static class Pem
{
    public static IEnumerable<(string Label, byte[] Der)> ReadAll(string text)
    {
        var offset = 0;
        while (offset < text.Length && PemEncoding.TryFind(text.AsSpan(offset), out var fields))
        {
            var block = text.AsSpan(offset);
            var label = block[fields.Label].ToString();
            var der = Convert.FromBase64String(block[fields.Base64Data].ToString());
            offset += fields.Location.End.Value;
            yield return (label, der);
        }
    }

    public static string Write(string label, byte[] der) => new string(PemEncoding.Write(label, der)) + "\n";
}
