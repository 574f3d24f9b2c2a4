namespace Conductor.Resources.Schema;

/// <summary>
/// OpenAPI <c>format</c> of a string field, for example <c>byte</c> (base64). Date-times and integer widths get
/// their format from the CLR type and need no attribute.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class FormatAttribute(string format) : Attribute
{
    public string Format { get; } = format;
}
