using System.Security.Cryptography;
using System.Text;

namespace Conductor.Compiler.Encryption.Age;

/// <summary>The textual age header: version line, recipient stanzas, and the HMAC over them.</summary>
internal static class AgeHeader
{
    private const int MaxHeaderBytes = 1024 * 1024;
    private static readonly byte[] MacInfo = Encoding.ASCII.GetBytes("header");

    public static byte[] Encode(IReadOnlyList<AgeStanza> stanzas, ReadOnlySpan<byte> fileKey)
    {
        var text = new StringBuilder().Append(AgeFormat.VersionLine).Append('\n');
        foreach (var stanza in stanzas)
        {
            text.Append("-> ").Append(stanza.Type);
            foreach (var argument in stanza.Arguments)
            {
                text.Append(' ').Append(argument);
            }
            text.Append('\n');
            var body = AgeBase64.Encode(stanza.Body);
            // Full 64-column lines, then a shorter (possibly empty) final line.
            for (var i = 0; i <= body.Length; i += AgeFormat.ColumnsPerLine)
            {
                text.Append(body, i, Math.Min(AgeFormat.ColumnsPerLine, body.Length - i)).Append('\n');
            }
        }
        text.Append("---");
        var macInput = Encoding.ASCII.GetBytes(text.ToString());
        text.Append(' ').Append(AgeBase64.Encode(Mac(fileKey, macInput))).Append('\n');
        return Encoding.ASCII.GetBytes(text.ToString());
    }

    /// <summary>Parses the header at the start of <paramref name="file"/>; returns the stanzas, the MAC, the bytes it covers and the header length.</summary>
    public static (List<AgeStanza> Stanzas, byte[] Mac, byte[] MacInput, int Length) Parse(ReadOnlySpan<byte> file)
    {
        var position = 0;
        var version = ReadLine(file, ref position);
        if (version != AgeFormat.VersionLine)
        {
            throw new AgeException(version.StartsWith("age-encryption.org/", StringComparison.Ordinal)
                ? $"unsupported age format version \"{version}\"; only v1 is implemented"
                : "not an age file: it does not start with \"age-encryption.org/v1\"");
        }
        var stanzas = new List<AgeStanza>();
        while (true)
        {
            var lineStart = position;
            var line = ReadLine(file, ref position);
            if (line.StartsWith("-> ", StringComparison.Ordinal))
            {
                stanzas.Add(ParseStanza(line, file, ref position));
            }
            else if (line.StartsWith("--- ", StringComparison.Ordinal))
            {
                var mac = AgeBase64.TryDecode(line[4..]);
                if (mac is not { Length: 32 } || stanzas.Count == 0)
                {
                    throw new AgeException("malformed age header: the MAC line must be \"--- \" and 43 base64 characters, after at least one stanza");
                }
                return (stanzas, mac, file[..(lineStart + 3)].ToArray(), position);
            }
            else
            {
                throw new AgeException("malformed age header: expected a \"-> \" stanza or the \"--- \" MAC line");
            }
        }
    }

    public static byte[] Mac(ReadOnlySpan<byte> fileKey, ReadOnlySpan<byte> macInput)
    {
        var key = HKDF.DeriveKey(HashAlgorithmName.SHA256, fileKey.ToArray(), 32, [], MacInfo);
        return HMACSHA256.HashData(key, macInput);
    }

    private static AgeStanza ParseStanza(string line, ReadOnlySpan<byte> file, ref int position)
    {
        var arguments = line[3..].Split(' ');
        if (arguments.Any(a => a.Length == 0 || a.Any(c => c < 33 || c > 126)))
        {
            throw new AgeException("malformed age header: stanza arguments are non-empty printable ASCII separated by single spaces");
        }
        var body = new StringBuilder();
        while (true)
        {
            var bodyLine = ReadLine(file, ref position);
            if (bodyLine.Length > AgeFormat.ColumnsPerLine)
            {
                throw new AgeException("malformed age header: stanza body lines are at most 64 columns");
            }
            body.Append(bodyLine);
            if (bodyLine.Length < AgeFormat.ColumnsPerLine)
            {
                break;
            }
        }
        var decoded = AgeBase64.TryDecode(body.ToString())
            ?? throw new AgeException($"malformed age header: the body of the \"{arguments[0]}\" stanza is not canonical unpadded base64");
        return new AgeStanza(arguments[0], arguments[1..], decoded);
    }

    private static string ReadLine(ReadOnlySpan<byte> file, ref int position)
    {
        var rest = file[position..];
        var end = rest.IndexOf((byte)'\n');
        if (end < 0 || position + end > MaxHeaderBytes)
        {
            throw new AgeException("malformed age header: it ends before the \"--- \" MAC line");
        }
        var line = rest[..end];
        foreach (var b in line)
        {
            if (b < 32 || b > 126)
            {
                throw new AgeException("malformed age header: it contains a non-ASCII or control byte");
            }
        }
        position += end + 1;
        return Encoding.ASCII.GetString(line);
    }
}
