namespace Conductor.Compiler.Encryption.Age;

/// <summary>
/// age encryption or decryption failed: an invalid recipient or identity string, a malformed or tampered file, or no
/// identity matching the file. The message names the input and the rule it broke.
/// </summary>
public sealed class AgeException(string message, Exception? inner = null) : Exception(message, inner);
