namespace Conductor.Naming;

/// <summary>
/// The RFC 1123 label rule Kubernetes applies to namespaces, cluster names, hostnames and pod names: 1-63 lower-case
/// ASCII letters, digits and '-', starting and ending with a letter or digit. The one implementation every program
/// uses. Checked by hand rather than by a regular expression: the agent does not load System.Text.RegularExpressions
/// (about 1 MB resident) to validate a few settings at start-up, and no trailing newline slips past a '$'.
/// </summary>
public static class DnsLabel
{
    public const int MaxLength = 63;

    public static bool IsValid(string? name) => name is { Length: <= MaxLength } && IsLabelShaped(name);

    /// <summary>Letters, digits and inner hyphens, at least one character, of any length (a subdomain checks its own total).</summary>
    internal static bool IsLabelShaped(ReadOnlySpan<char> name)
    {
        if (name.IsEmpty || name[0] == '-' || name[^1] == '-')
        {
            return false;
        }

        foreach (var c in name)
        {
            if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '-'))
            {
                return false;
            }
        }

        return true;
    }
}
