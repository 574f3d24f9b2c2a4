using System.Text.Json;
using System.Text.Json.Nodes;
using Conductor.Runner.Capabilities;

namespace Conductor.Interfaces.Tests.Runner.Capabilities;

public sealed class CapabilityCatalogTests
{
    // The permanent names (reference runnerlib §3.1), written out rather than read from CapabilityNames so that a
    // rename in the code fails here.
    private static readonly string[] PermanentNames =
    [
        "bootstrap", "talos-upgrade", "kube-upgrade", "stack-upgrade", "node-patch", "node-scale-up",
        "node-decommission", "node-reboot", "etcd-backup", "etcd-defrag", "etcd-restore", "pki-rotate",
        "credential-rotate", "hardening-apply", "cluster-reset", "machineconfig-backup", "machineconfig-restore",
        "pack-deploy", "rbac-provision", "pack-compile",
    ];

    [Fact]
    public void All_Always_TwentyUniqueNonEmptyNames()
    {
        var names = CapabilityCatalog.All.Select(c => c.Name).ToArray();

        Assert.Equal(20, names.Length);
        Assert.Equal(names.Length, names.Distinct(StringComparer.Ordinal).Count());
        Assert.All(names, n => Assert.False(string.IsNullOrWhiteSpace(n)));
    }

    [Fact]
    public void All_Names_ArePermanentReferenceNames() =>
        Assert.Equal(PermanentNames.Order(StringComparer.Ordinal), CapabilityCatalog.All.Select(c => c.Name).Order(StringComparer.Ordinal));

    [Fact]
    public void CapabilityNames_Constants_MatchCatalog()
    {
        var constants = typeof(CapabilityNames).GetFields().Select(f => (string)f.GetRawConstantValue()!).Order(StringComparer.Ordinal);

        Assert.Equal(CapabilityCatalog.All.Select(c => c.Name).Order(StringComparer.Ordinal), constants);
    }

    [Fact]
    public void PackCompile_Always_CompileOnlyAndNotExecutable()
    {
        var packCompile = CapabilityCatalog.Find(CapabilityNames.PackCompile);

        Assert.NotNull(packCompile);
        Assert.Equal(CapabilityMode.Compile, packCompile.Mode);
        Assert.False(packCompile.IsExecutable);
        Assert.DoesNotContain(CapabilityNames.PackCompile, CapabilityCatalog.ExecutableNames);
    }

    [Fact]
    public void ExecutableNames_Always_NineteenExecuteModeNames()
    {
        Assert.Equal(19, CapabilityCatalog.ExecutableNames.Count);
        Assert.All(CapabilityCatalog.ExecutableNames, n => Assert.Equal(CapabilityMode.Execute, CapabilityCatalog.Find(n)!.Mode));
    }

    [Fact]
    public void All_Entries_HaveVersionDescriptionAndUniqueParameterNames() =>
        Assert.All(CapabilityCatalog.All, c =>
        {
            Assert.Matches(@"^\d+\.\d+\.\d+$", c.Version);
            Assert.False(string.IsNullOrWhiteSpace(c.Description));
            var parameterNames = c.Parameters.Parameters.Select(p => p.Name).ToArray();
            Assert.Equal(parameterNames.Length, parameterNames.Distinct(StringComparer.Ordinal).Count());
            Assert.All(c.Parameters.Parameters, p => Assert.True(p.Enum is null || p.Type == ParameterType.String, $"{c.Name}.{p.Name}: enum on a non-string"));
        });

    [Fact]
    public void DeclaredNames_Always_AvailableExecutableNamesOnly()
    {
        Assert.All(CapabilityCatalog.DeclaredNames, n => Assert.Contains(n, CapabilityCatalog.ExecutableNames));
        Assert.DoesNotContain(CapabilityCatalog.All, c => c.Available && !c.IsExecutable);
        Assert.Equal(CapabilityCatalog.All.Count(c => c.Available), CapabilityCatalog.DeclaredNames.Count);
    }

    [Fact]
    public void All_ExecutableEntries_NeedSomething() =>
        Assert.All(CapabilityCatalog.All.Where(c => c.IsExecutable), c => Assert.NotEqual(CapabilityNeeds.None, c.Needs));

    [Theory]
    [InlineData("Bootstrap")]
    [InlineData("bootstrap ")]
    [InlineData("node_patch")]
    [InlineData("")]
    public void Find_NotExactName_ReturnsNull(string name) => Assert.Null(CapabilityCatalog.Find(name));

    [Fact]
    public void ParameterJsonSchema_AllCapabilities_EqualGolden()
    {
        var rendered = new JsonObject();
        foreach (var capability in CapabilityCatalog.All)
        {
            rendered[capability.Name] = capability.ParameterJsonSchema();
        }

        var json = rendered.ToJsonString(new JsonSerializerOptions { WriteIndented = true, IndentSize = 2, NewLine = "\n" });

        Assert.Equal(Golden.Read("capability-parameter-schemas.json"), json);
    }
}
