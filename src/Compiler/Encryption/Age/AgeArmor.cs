using System.Text;

namespace Conductor.Compiler.Encryption.Age;

/// <summary>age's ASCII armor: strict RFC 7468 PEM with the label "AGE ENCRYPTED FILE", padded base64, 64 columns.</summary>
public static class AgeArmor
{
    public const string Begin = "-----BEGIN AGE ENCRYPTED FILE-----";
    public const string End = "-----END AGE ENCRYPTED FILE-----";

    public static string Armor(ReadOnlySpan<byte> binary)
    {
        var base64 = Convert.ToBase64String(binary);
        var text = new StringBuilder(base64.Length + base64.Length / 64 + 80).Append(Begin).Append('\n');
        for (var i = 0; i < base64.Length; i += 64)
        {
            text.Append(base64, i, Math.Min(64, base64.Length - i)).Append('\n');
        }
        return text.Append(End).Append('\n').ToString();
    }

    /// <summary>Whether <paramref name="data"/> looks like armor (leading whitespace allowed).</summary>
    public static bool IsArmored(ReadOnlySpan<byte> data)
    {
        var start = 0;
        while (start < data.Length && data[start] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
        {
            start++;
        }
        return data[start..].StartsWith(Encoding.ASCII.GetBytes(Begin));
    }

    /// <summary>Decodes armor; refuses anything but canonical armor (whitespace around it and CRLF aside).</summary>
    public static byte[] Dearmor(ReadOnlySpan<byte> data)
    {
        var text = Encoding.ASCII.GetString(data).Replace("\r\n", "\n", StringComparison.Ordinal).Trim();
        if (!text.StartsWith(Begin + "\n", StringComparison.Ordinal) || !text.EndsWith("\n" + End, StringComparison.Ordinal))
        {
            throw new AgeException($"malformed age armor: expected \"{Begin}\" … \"{End}\"");
        }
        var base64 = text[(Begin.Length + 1)..^(End.Length + 1)];
        byte[] binary;
        try
        {
            binary = Convert.FromBase64String(base64.Replace("\n", "", StringComparison.Ordinal));
        }
        catch (FormatException e)
        {
            throw new AgeException("malformed age armor: the body is not base64", e);
        }
        if (Armor(binary).TrimEnd('\n') != text)
        {
            throw new AgeException("malformed age armor: not canonical (64-column lines of padded base64 are required)");
        }
        return binary;
    }
}
