namespace Conductor.Naming;

/// <summary>
/// The RFC 1123 subdomain rule Kubernetes applies to most object names: at most 253 characters, one or more
/// labels of lower-case ASCII letters, digits and inner '-' joined by '.'. As in Kubernetes, only the whole name is
/// capped; a single label inside it may pass 63 characters.
/// </summary>
public static class DnsSubdomain
{
    public const int MaxLength = 253;

    public static bool IsValid(string? name)
    {
        if (name is not { Length: > 0 and <= MaxLength })
        {
            return false;
        }

        foreach (var label in name.AsSpan().Split('.'))
        {
            if (!DnsLabel.IsLabelShaped(name.AsSpan()[label]))
            {
                return false;
            }
        }

        return true;
    }
}
