using Conductor.Compiler.Packs.Input;
using Conductor.Registry.Distribution;

namespace Conductor.Compiler.Validation;

/// <summary><c>registryUrl</c> is required on every path and is a repository <c>host[:port]/path</c> without tag or digest.</summary>
internal sealed class PackRegistryUrlRule : IInputRule<PackBuildDocument>
{
    public IEnumerable<InputViolation> Check(PackBuildDocument document)
    {
        var input = document.Input;
        var url = input.RegistryUrl;
        if (string.IsNullOrWhiteSpace(url))
        {
            var kind = PackSourceKinds.Resolve(input);
            var when = kind == PackSourceKind.Prebuilt ? "" : $" when {PackSourceKinds.Field(kind)} is set";
            yield return new("registryUrl", $"registryUrl is required{when}: add e.g. 'registryUrl: registry.example.com/packs/my-pack'");
            yield break;
        }

        string? problem = null;
        try
        {
            var reference = OciReference.Parse(url, requireTagOrDigest: false);
            if (reference.Tag is not null || reference.Digest is not null)
            {
                problem = $"'{url}' names a tag or digest: give the repository only; packbuild adds the tags <version>-rbac, <version>-cluster-scoped and <version>-workload";
            }
        }
        catch (FormatException ex)
        {
            problem = $"'{url}' is not a repository host[:port]/path without a scheme: {ex.Message}";
        }
        if (problem is not null)
        {
            yield return new("registryUrl", problem);
        }
    }
}
