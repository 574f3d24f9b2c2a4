using System.Globalization;
using System.Text;

namespace Conductor.Signing;

/// <summary>
/// Formats a double the way ECMAScript's Number::toString does (ECMA-262 §7.1.12.1, required by RFC 8785 §3.2.2.3):
/// the shortest digit string that round-trips, laid out in plain or exponent notation by the spec's rules.
/// </summary>
internal static class EcmaScriptNumber
{
    public static string Format(double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "NaN and Infinity have no JSON form (RFC 8785 §3.2.2.3)");
        }
        if (value == 0)
        {
            return "0"; // both +0 and -0
        }

        // .NET's "R" gives the shortest round-trip digits (since .NET Core 3.0); only the layout differs from ES6.
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        var negative = text[0] == '-';
        var body = negative ? text.AsSpan(1) : text.AsSpan();

        var exponentAt = body.IndexOfAny('E', 'e');
        var exponent = 0;
        if (exponentAt >= 0)
        {
            exponent = int.Parse(body[(exponentAt + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            body = body[..exponentAt];
        }

        var digits = new StringBuilder(body.Length);
        var pointAt = body.IndexOf('.');
        var integerDigits = pointAt >= 0 ? pointAt : body.Length;
        foreach (var c in body)
        {
            if (c != '.')
            {
                digits.Append(c);
            }
        }

        // value = 0.d1d2…dk × 10^n (ECMA-262's k and n).
        var n = integerDigits + exponent;
        var leading = 0;
        while (leading < digits.Length - 1 && digits[leading] == '0')
        {
            leading++;
        }
        digits.Remove(0, leading);
        n -= leading;
        var trailing = digits.Length;
        while (trailing > 1 && digits[trailing - 1] == '0')
        {
            trailing--;
        }
        digits.Length = trailing;
        var k = digits.Length;

        var result = new StringBuilder(k + 8);
        if (negative)
        {
            result.Append('-');
        }
        if (k <= n && n <= 21)
        {
            result.Append(digits).Append('0', n - k);
        }
        else if (0 < n && n <= 21)
        {
            result.Append(digits, 0, n).Append('.').Append(digits, n, k - n);
        }
        else if (-6 < n && n <= 0)
        {
            result.Append("0.").Append('0', -n).Append(digits);
        }
        else
        {
            var e = n - 1;
            result.Append(digits[0]);
            if (k > 1)
            {
                result.Append('.').Append(digits, 1, k - 1);
            }
            result.Append('e').Append(e < 0 ? '-' : '+').Append(Math.Abs(e).ToString(CultureInfo.InvariantCulture));
        }
        return result.ToString();
    }
}
