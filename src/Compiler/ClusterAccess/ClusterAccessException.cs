namespace Conductor.Compiler.ClusterAccess;

/// <summary>A cluster lookup that failed; the message names the object, the reason and the fix.</summary>
internal sealed class ClusterAccessException(string message, Exception? inner = null) : Exception(message, inner);
