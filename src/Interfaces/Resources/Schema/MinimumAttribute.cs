namespace Conductor.Resources.Schema;

/// <summary>Smallest allowed value of an integer field (OpenAPI <c>minimum</c>).</summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class MinimumAttribute(long value) : Attribute
{
    public long Value { get; } = value;
}
