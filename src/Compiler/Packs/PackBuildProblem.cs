namespace Conductor.Compiler.Packs;

/// <summary>
/// One thing wrong with a pack build: the file it is in, where in it (when known), the field path, and the rule with
/// its fix. Reads as <c>file:line:column: field: message</c>.
/// </summary>
public sealed record PackBuildProblem(string File, int? Line, int? Column, string Field, string Message)
{
    public override string ToString()
    {
        var position = Line is { } line ? $":{line}" + (Column is { } column ? $":{column}" : "") : "";
        var field = Field.Length == 0 ? "" : $"{Field}: ";
        return $"{File}{position}: {field}{Message}";
    }
}
