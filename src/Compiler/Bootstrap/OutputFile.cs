namespace Conductor.Compiler.Bootstrap;

/// <summary>One file bootstrap writes; <see cref="HoldsSecrets"/> marks the Secrets that SOPS encrypts.</summary>
internal sealed record OutputFile(string Name, string Content, bool HoldsSecrets);
