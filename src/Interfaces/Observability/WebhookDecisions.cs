namespace Conductor.Observability;

/// <summary>The closed set of <c>decision</c> label values on <c>conductor_webhook_decisions_total</c>.</summary>
public static class WebhookDecisions
{
    public const string Allowed = "allowed";
    public const string Denied = "denied";
    public const string AuditedOnly = "audited";

    private static readonly string[] Values = [Allowed, Denied, AuditedOnly];

    public static IReadOnlyList<string> All => Values;

    // A free-form label value would grow the series without bound; refuse it where it is recorded.
    internal static int IndexOf(string decision) => Array.IndexOf(Values, decision) is var i and >= 0
        ? i
        : throw new ArgumentException($"webhook decision '{decision}' is not one of {string.Join(", ", All)}", nameof(decision));
}
