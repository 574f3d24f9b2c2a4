namespace Conductor.Signing;

/// <summary>A signing key could not be read: the message names the source (file or Secret) and the rule it broke.</summary>
public sealed class SigningKeyException(string message, Exception? inner = null) : Exception(message, inner);
