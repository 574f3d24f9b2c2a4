namespace Conductor.Compiler.Packs;

/// <summary>A pack build stopped before writing anything; <see cref="Problems"/> lists every reason found.</summary>
public sealed class PackBuildException(IReadOnlyList<PackBuildProblem> problems, Exception? innerException = null)
    : Exception(string.Join(Environment.NewLine, problems), innerException)
{
    public PackBuildException(PackBuildProblem problem, Exception? innerException = null)
        : this([problem], innerException)
    {
    }

    public IReadOnlyList<PackBuildProblem> Problems { get; } = problems;
}
