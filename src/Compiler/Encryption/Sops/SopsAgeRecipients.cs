using Conductor.Compiler.Encryption.Age;

namespace Conductor.Compiler.Encryption.Sops;

/// <summary>
/// The age recipients for SOPS encryption, from repeated <c>--age-recipient</c> flags or the comma-separated
/// <c>SOPS_AGE_RECIPIENTS</c> variable (the variable sops itself reads).
/// </summary>
public static class SopsAgeRecipients
{
    public const string EnvironmentVariable = "SOPS_AGE_RECIPIENTS";
    public const string Flag = "--age-recipient";

    /// <summary>Flags win over the variable. Every invalid entry is reported at once, each naming where it came from.</summary>
    public static IReadOnlyList<AgeRecipient> Parse(IReadOnlyList<string> flagValues, string? environmentValue)
    {
        var (source, entries) = flagValues.Count > 0
            ? (Flag, flagValues.SelectMany(v => v.Split(',')).ToList())
            : (EnvironmentVariable, (environmentValue ?? "").Split(',').ToList());
        var recipients = new List<AgeRecipient>();
        var errors = new List<string>();
        foreach (var entry in entries.Select(e => e.Trim()).Where(e => e.Length > 0))
        {
            try
            {
                var recipient = AgeRecipient.Parse(entry);
                if (!recipients.Contains(recipient))
                {
                    recipients.Add(recipient);
                }
            }
            catch (AgeException e)
            {
                errors.Add($"{source}: {e.Message}");
            }
        }
        if (errors.Count > 0)
        {
            throw new SopsException(string.Join(Environment.NewLine, errors));
        }
        return recipients;
    }
}
