namespace Conductor.Compiler.Encryption.Age;

/// <summary>One recipient stanza of an age header: <c>-> type args…</c> and a body.</summary>
internal sealed record AgeStanza(string Type, IReadOnlyList<string> Arguments, byte[] Body);
