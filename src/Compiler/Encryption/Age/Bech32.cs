namespace Conductor.Compiler.Encryption.Age;

/// <summary>
/// Bech32 (BIP 173) as age uses it: no length limit, all-lowercase or all-uppercase, checksum over the lowercase form.
/// </summary>
internal static class Bech32
{
    private const string Charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
    private static readonly uint[] Generator = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];

    public static string Encode(string hrp, ReadOnlySpan<byte> data)
    {
        var values = ConvertBits(data, 8, 5, pad: true)!;
        var checksum = Checksum(hrp, values);
        var text = new System.Text.StringBuilder(hrp.Length + 1 + values.Count + 6).Append(hrp).Append('1');
        foreach (var v in values.Concat(checksum))
        {
            text.Append(Charset[v]);
        }
        return text.ToString();
    }

    /// <summary>Decodes <paramref name="text"/>; the human-readable part comes back lowercase. Throws <see cref="FormatException"/>.</summary>
    public static (string Hrp, byte[] Data) Decode(string text)
    {
        var hasLower = text.Any(char.IsAsciiLetterLower);
        var hasUpper = text.Any(char.IsAsciiLetterUpper);
        if (hasLower && hasUpper)
        {
            throw new FormatException("Bech32 strings must be all lowercase or all uppercase, not mixed");
        }
        if (text.Any(c => c < 33 || c > 126))
        {
            throw new FormatException("Bech32 strings contain only printable ASCII characters");
        }
        var lower = text.ToLowerInvariant();
        var separator = lower.LastIndexOf('1');
        if (separator < 1 || separator + 7 > lower.Length)
        {
            throw new FormatException("a Bech32 string is <prefix>1<data><6-character checksum>; the separator '1' or the checksum is missing");
        }
        var hrp = lower[..separator];
        var values = new List<byte>(lower.Length - separator - 1);
        foreach (var c in lower.AsSpan(separator + 1))
        {
            var v = Charset.IndexOf(c, StringComparison.Ordinal);
            if (v < 0)
            {
                throw new FormatException($"'{c}' is not a Bech32 data character (allowed: {Charset})");
            }
            values.Add((byte)v);
        }
        if (Polymod(HrpExpand(hrp).Concat(values)) != 1)
        {
            throw new FormatException("the Bech32 checksum does not match; the string was mistyped or truncated");
        }
        var data = ConvertBits(values.Take(values.Count - 6).ToArray(), 5, 8, pad: false)
            ?? throw new FormatException("the Bech32 data has invalid padding");
        return (hrp, data.ToArray());
    }

    private static List<byte>? ConvertBits(ReadOnlySpan<byte> data, int fromBits, int toBits, bool pad)
    {
        var result = new List<byte>(data.Length * fromBits / toBits + 1);
        var accumulator = 0;
        var bits = 0;
        var max = (1 << toBits) - 1;
        foreach (var value in data)
        {
            accumulator = (accumulator << fromBits) | value;
            bits += fromBits;
            while (bits >= toBits)
            {
                bits -= toBits;
                result.Add((byte)((accumulator >> bits) & max));
            }
        }
        if (pad)
        {
            if (bits > 0)
            {
                result.Add((byte)((accumulator << (toBits - bits)) & max));
            }
        }
        else if (bits >= fromBits || ((accumulator << (toBits - bits)) & max) != 0)
        {
            return null;
        }
        return result;
    }

    private static byte[] Checksum(string hrp, IEnumerable<byte> values)
    {
        var polymod = Polymod(HrpExpand(hrp).Concat(values).Concat(new byte[6])) ^ 1;
        var checksum = new byte[6];
        for (var i = 0; i < 6; i++)
        {
            checksum[i] = (byte)((polymod >> (5 * (5 - i))) & 31);
        }
        return checksum;
    }

    private static IEnumerable<byte> HrpExpand(string hrp) =>
        hrp.Select(c => (byte)(c >> 5)).Append((byte)0).Concat(hrp.Select(c => (byte)(c & 31)));

    private static uint Polymod(IEnumerable<byte> values)
    {
        uint chk = 1;
        foreach (var v in values)
        {
            var top = chk >> 25;
            chk = ((chk & 0x1ffffff) << 5) ^ v;
            for (var i = 0; i < 5; i++)
            {
                if (((top >> i) & 1) != 0)
                {
                    chk ^= Generator[i];
                }
            }
        }
        return chk;
    }
}
