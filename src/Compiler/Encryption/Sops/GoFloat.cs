using System.Globalization;
using System.Text;

namespace Conductor.Compiler.Encryption.Sops;

/// <summary>Go's <c>strconv.FormatFloat(f, 'f', -1, 64)</c>: the shortest round-trip digits, never in exponent form.</summary>
internal static class GoFloat
{
    public static string FormatF(double value)
    {
        if (value == 0)
        {
            return double.IsNegative(value) ? "-0" : "0";
        }
        // "R" gives the shortest round-trip digits (maybe in exponent form); lay them out without an exponent.
        var shortest = value.ToString("R", CultureInfo.InvariantCulture);
        var negative = shortest[0] == '-';
        var body = negative ? shortest[1..] : shortest;
        var exponent = 0;
        var e = body.IndexOfAny(['E', 'e']);
        if (e >= 0)
        {
            exponent = int.Parse(body[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            body = body[..e];
        }
        var point = body.IndexOf('.', StringComparison.Ordinal);
        var digits = body.Replace(".", "", StringComparison.Ordinal);
        var integerDigits = (point >= 0 ? point : body.Length) + exponent;
        var leading = digits.Length - digits.TrimStart('0').Length;
        digits = digits.TrimStart('0');
        integerDigits -= leading;
        digits = digits.TrimEnd('0');

        var result = new StringBuilder();
        if (negative)
        {
            result.Append('-');
        }
        if (integerDigits <= 0)
        {
            result.Append("0.").Append('0', -integerDigits).Append(digits);
        }
        else if (integerDigits >= digits.Length)
        {
            result.Append(digits).Append('0', integerDigits - digits.Length);
        }
        else
        {
            result.Append(digits, 0, integerDigits).Append('.').Append(digits, integerDigits, digits.Length - integerDigits);
        }
        return result.ToString();
    }
}
