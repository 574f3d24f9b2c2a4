namespace Conductor.Silo.Startup;

/// <summary>
/// The RFC 1123 label rule Kubernetes applies to namespace and cluster names: 1-63 lower-case letters, digits and
/// '-', starting and ending with a letter or digit. Checked by hand rather than by a regular expression so the agent
/// does not load System.Text.RegularExpressions (about 1 MB resident) to validate two settings at start-up.
/// </summary>
public static class DnsLabel
{
    public const int MaxLength = 63;

    public static bool IsValid(string? name)
    {
        if (name is not { Length: > 0 and <= MaxLength } || name[0] == '-' || name[^1] == '-')
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
