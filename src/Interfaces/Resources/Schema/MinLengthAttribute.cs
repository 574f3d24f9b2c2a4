namespace Conductor.Resources.Schema;

/// <summary>Minimum length of a string field (OpenAPI <c>minLength</c>).</summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class MinLengthAttribute(long length) : Attribute
{
    public long Length { get; } = length;
}
