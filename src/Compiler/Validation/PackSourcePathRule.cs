using Conductor.Compiler.Packs.Input;

namespace Conductor.Compiler.Validation;

/// <summary>
/// The chosen source says where its content is (compiler.md §4.3 step 7), and a raw source's path is a directory
/// that exists, resolved against the input file's directory.
/// </summary>
internal sealed class PackSourcePathRule : IInputRule<PackBuildDocument>
{
    public IEnumerable<InputViolation> Check(PackBuildDocument document)
    {
        var input = document.Input;
        switch (PackSourceKinds.Resolve(input))
        {
            case PackSourceKind.Helm when input.HelmSource is not null && string.IsNullOrWhiteSpace(input.HelmSource.Url):
                yield return new("helmSource.url", "helmSource.url is required: the http(s) or file:// URL of the chart archive");
                break;
            case PackSourceKind.Kustomize when input.KustomizeSource is not null && string.IsNullOrWhiteSpace(input.KustomizeSource.Path):
                yield return new("kustomizeSource.path", "kustomizeSource.path is required: the directory holding kustomization.yaml");
                break;
            case PackSourceKind.Raw when input.RawSource is { } raw:
                if (string.IsNullOrWhiteSpace(raw.Path))
                {
                    yield return new("rawSource.path", "rawSource.path is required: the directory of .yaml/.yml manifests, relative to this file");
                }
                else if (!Directory.Exists(document.Resolve(raw.Path)))
                {
                    yield return new("rawSource.path",
                        $"directory '{document.Resolve(raw.Path)}' does not exist (rule: a relative path is resolved against the input file's directory): fix the path");
                }
                break;
        }
    }
}
