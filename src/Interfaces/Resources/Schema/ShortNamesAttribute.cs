namespace Conductor.Resources.Schema;

/// <summary>Short names of a kind for <c>kubectl get</c> (CRD <c>spec.names.shortNames</c>).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class ShortNamesAttribute(params string[] names) : Attribute
{
    public IReadOnlyList<string> Names { get; } = names;
}
