using Conductor.Compiler.Encryption.Age;
using Conductor.Compiler.Encryption.Sops;

namespace Conductor.Compiler.Tests.Encryption.Sops;

public sealed class SopsAgeRecipientsTests
{
    private static readonly string A = AgeIdentity.Generate().Recipient.Text;
    private static readonly string B = AgeIdentity.Generate().Recipient.Text;

    [Fact]
    public void Parse_FlagsAndVariable_FlagsWinAndDuplicatesCollapse()
    {
        Assert.Equal([A, B], SopsAgeRecipients.Parse([A, $"{B},{A}"], "ignored").Select(r => r.Text));
        Assert.Equal([A, B], SopsAgeRecipients.Parse([], $" {A} , {B} ").Select(r => r.Text));
        Assert.Empty(SopsAgeRecipients.Parse([], null));
    }

    [Fact]
    public void Parse_InvalidEntries_ReportsEachWithItsSource()
    {
        var error = Assert.Throws<SopsException>(() => SopsAgeRecipients.Parse([], $"{A},age1notvalid,ssh-ed25519"));

        Assert.Contains("SOPS_AGE_RECIPIENTS: age recipient \"age1notvalid\" is invalid", error.Message, StringComparison.Ordinal);
        Assert.Contains("\"ssh-ed25519\"", error.Message, StringComparison.Ordinal);
        var flagError = Assert.Throws<SopsException>(() => SopsAgeRecipients.Parse(["age1notvalid"], null));
        Assert.StartsWith("--age-recipient: ", flagError.Message, StringComparison.Ordinal);
    }
}
