namespace Conductor.Resources.Schema;

/// <summary>
/// One <c>additionalPrinterColumns</c> entry. Columns are emitted by <see cref="Order"/>, because attribute order
/// is not guaranteed by reflection; an Age column is always appended last.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class PrinterColumnAttribute(int order, string name, string jsonPath) : Attribute
{
    public int Order { get; } = order;
    public string Name { get; } = name;
    public string JsonPath { get; } = jsonPath;

    /// <summary>OpenAPI type of the column: string, integer, number, boolean or date.</summary>
    public string Type { get; init; } = "string";

    /// <summary>0 shows the column in the default view; higher only with <c>-o wide</c>.</summary>
    public int Priority { get; init; }
}
