namespace Conductor.Silo.Federation.Gateway;

/// <summary>
/// An inbound envelope is not one the federation protocol allows on the wire (malformed protobuf, invalid UTF-8, a
/// timestamp out of range); the message names the rule broken. The gateway ends the stream with it.
/// </summary>
public sealed class EnvelopeRefusedException(string rule) : Exception(rule);
