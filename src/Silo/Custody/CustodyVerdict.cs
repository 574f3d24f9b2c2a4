namespace Conductor.Silo.Custody;

/// <summary>
/// The outcome of verifying one artifact. <see cref="Reason"/> names the resource and the cause when it failed, and is
/// what the receipt's degradedReason and DegradedSecurityState condition carry.
/// </summary>
public sealed record CustodyVerdict(bool Verified, string Reason, string? Signature)
{
    public static CustodyVerdict Refused(string reason, string? signature = null) => new(false, reason, signature);
}
