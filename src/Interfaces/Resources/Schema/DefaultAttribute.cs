namespace Conductor.Resources.Schema;

/// <summary>
/// Value the API server fills in when the field is absent (OpenAPI <c>default</c>). Use a string for enum fields
/// (the JSON name of the member), a bool or an integer otherwise. The CLR property must be nullable so that an
/// unset value is omitted and the server default applies.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class DefaultAttribute(object value) : Attribute
{
    public object Value { get; } = value;
}
