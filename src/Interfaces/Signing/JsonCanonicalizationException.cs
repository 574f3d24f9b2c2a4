namespace Conductor.Signing;

/// <summary>
/// The JSON cannot be put in RFC 8785 canonical form because it breaks an I-JSON rule (RFC 7493): a number that is not
/// finite, a string with a lone surrogate, a duplicate property name. <see cref="Path"/> names the offending value.
/// </summary>
public sealed class JsonCanonicalizationException(string path, string message)
    : Exception($"{path}: {message}")
{
    /// <summary>JSONPath-like location of the offending value, for example <c>$.spec.items[2]</c>.</summary>
    public string Path { get; } = path;
}
