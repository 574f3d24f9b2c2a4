namespace Conductor.Resources.Schema;

/// <summary>The field must be present (OpenAPI <c>required</c> on the enclosing object).</summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class RequiredAttribute : Attribute;
