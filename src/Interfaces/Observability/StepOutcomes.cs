namespace Conductor.Observability;

/// <summary>The closed set of <c>outcome</c> label values on <c>conductor_sequencer_steps_total</c>.</summary>
public static class StepOutcomes
{
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string Skipped = "skipped";

    private static readonly string[] Values = [Succeeded, Failed, Skipped];

    public static IReadOnlyList<string> All => Values;

    // A free-form label value would grow the series without bound; refuse it where it is recorded.
    internal static int IndexOf(string outcome) => Array.IndexOf(Values, outcome) is var i and >= 0
        ? i
        : throw new ArgumentException($"step outcome '{outcome}' is not one of {string.Join(", ", All)}", nameof(outcome));
}
