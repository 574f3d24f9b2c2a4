using Conductor.Compiler.Components.Descriptors;
using Conductor.Resources.Guardian;
using Conductor.TestSupport;

namespace Conductor.Compiler.Tests.Components.Descriptors;

public sealed class ComponentDescriptorReaderTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private (ComponentDescriptor? Descriptor, List<string> Errors, string Path) Read(string yaml)
    {
        var path = _directory.File($"d-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, yaml);
        var errors = new List<string>();
        return (ComponentDescriptorReader.Read(path, errors), errors, path);
    }

    private const string Valid =
        "name: op\nversion: v1\nnamespace: op-system\nprincipals:\n- serviceAccount: op\n  permissionSets:\n  - name: op-all\n" +
        "    scope: namespaced\n    rules:\n    - apiGroups: [\"\"]\n      resources: [configmaps]\n      verbs: [get]\n";

    [Fact]
    public void Read_OnePrincipalWithoutProfile_DefaultsToRbacName()
    {
        var (descriptor, errors, _) = Read(Valid);

        Assert.Empty(errors);
        var principal = Assert.Single(descriptor!.Definition.Principals);
        Assert.Equal("rbac-op", principal.Profile);
        var set = Assert.Single(principal.PermissionSets);
        Assert.Equal(PermissionScope.Namespaced, set.Scope);
        Assert.Null(set.Namespaces);
        Assert.Equal([""], set.Rules[0].ApiGroups!);
    }

    [Fact]
    public void Read_UnknownFieldsAtEveryLevel_EachWithLineColumnAndPath()
    {
        var (descriptor, errors, path) = Read(
            "name: op\nversoin: v1\nprincipals:\n- serviceAccount: op\n  role: x\n  permissionSets:\n  - name: s\n    scop: cluster\n");

        Assert.Null(descriptor);
        Assert.Contains($"{path}:2:1: versoin: unknown field 'versoin'; the fields here are name, version, description, namespace, principals", errors);
        Assert.Contains($"{path}:5:3: principals[0].role: unknown field 'role'; the fields here are serviceAccount, profile, permissionSets", errors);
        Assert.Contains(errors, e => e.StartsWith($"{path}:8:5: principals[0].permissionSets[0].scop: unknown field 'scop'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith($"{path}:7:5: principals[0].permissionSets[0].scope: required: cluster or namespaced", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_MalformedYaml_LineAndColumn()
    {
        var (descriptor, errors, path) = Read("name: op\nprincipals: [\n");

        Assert.Null(descriptor);
        var error = Assert.Single(errors);
        Assert.StartsWith($"{path}:3:1: not valid YAML", error);
    }

    [Fact]
    public void Read_WrongShapes_NamedWithPath()
    {
        var (_, errors, path) = Read("name: [a]\nprincipals:\n  serviceAccount: op\n");

        Assert.Contains($"{path}:1:7: name: must be a single value, not a list or mapping", errors);
        Assert.Contains($"{path}:3:3: principals: must be a list", errors);
    }

    [Fact]
    public void Read_TwoDocuments_Error()
    {
        var (_, errors, path) = Read(Valid + "---\n" + Valid);

        Assert.Equal([$"{path}: must hold exactly one YAML document; found 2"], errors);
    }

    [Fact]
    public void Read_SeveralPrincipalsWithoutProfile_EachNeedsOne()
    {
        var (_, errors, path) = Read("name: op\nprincipals:\n- serviceAccount: a\n- serviceAccount: b\n  profile: rbac-b\n");

        Assert.Equal([$"{path}:3:3: principals[0].profile: required when the descriptor has several principals: name each one's RBACProfile"], errors);
    }

    [Fact]
    public void Locate_MissingField_PointsAtItsParent()
    {
        var (descriptor, _, path) = Read(Valid);

        Assert.Equal($"{path}:12:15", descriptor!.Locate("principals[0].permissionSets[0].rules[0].verbs[0]"));
        Assert.Equal($"{path}:10:7", descriptor.Locate("principals[0].permissionSets[0].rules[0].resourceNames"));
    }
}
