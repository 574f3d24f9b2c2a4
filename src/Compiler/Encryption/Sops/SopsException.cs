namespace Conductor.Compiler.Encryption.Sops;

/// <summary>
/// A document could not be SOPS-encrypted or decrypted: a value sops cannot type, a tampered value (MAC mismatch), no
/// age identity able to unwrap the data key. The message names the value's path or the recipient, and the rule.
/// </summary>
public sealed class SopsException(string message, Exception? inner = null) : Exception(message, inner);
