using Conductor.Compiler.Tests.Golden;
using Conductor.Components;
using Conductor.TestSupport;

namespace Conductor.Compiler.Tests.Commands;

public sealed class ComponentTests
{
    private static readonly string[] Profile = ["--namespace", "seam-system", "--target-clusters", "ccs-mgmt", "--rbac-policy-ref", "management-policy"];

    public static TheoryData<string> Cases() => [.. GoldenDirectory.Cases("component")];

    private static string CaseDirectory(string name) => Path.Combine(GoldenDirectory.TestData, "component", name);

    private static string[] CaseArgs(string name, string output) =>
    [
        "component", "--output", output,
        .. File.ReadAllLines(Path.Combine(CaseDirectory(name), "args"))
            .Where(line => line.Length > 0)
            .Select(line => line.Replace("{case}", CaseDirectory(name), StringComparison.Ordinal)),
    ];

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Handler_GoldenCase_WritesExpectedBytes(string name)
    {
        using var output = new TemporaryDirectory();
        var run = await CommandRun.InvokeAsync(null, CaseArgs(name, output.Path));

        Assert.True(run.ExitCode == 0, run.Stderr);
        GoldenDirectory.AssertMatches(CaseDirectory(name), output.Path);
    }

    [Fact]
    public async Task Handler_SameFlagsTwice_SameBytes()
    {
        using var first = new TemporaryDirectory();
        using var second = new TemporaryDirectory();
        Assert.Equal(0, (await CommandRun.InvokeAsync(null, CaseArgs("catalog-all", first.Path))).ExitCode);
        Assert.Equal(0, (await CommandRun.InvokeAsync(null, CaseArgs("catalog-all", second.Path))).ExitCode);

        foreach (var file in GoldenDirectory.Files(first.Path))
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(first.Path, file)), File.ReadAllBytes(Path.Combine(second.Path, file)));
        }
    }

    [Fact]
    public async Task Handler_CatalogComponent_ProfileNamesPrincipalClustersPolicyAndCatalogVersion()
    {
        using var output = new TemporaryDirectory();
        var run = await CommandRun.InvokeAsync(null,
            ["component", "--component", "cilium", "--namespace", "seam-tenant-management", "--target-clusters", "ccs-dev, ccs-test, management",
             "--rbac-policy-ref", "platform-rbac-policy", "--output", output.Path]);

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal(["rbac-cilium.yaml"], GoldenDirectory.Files(output.Path));
        var text = File.ReadAllText(Path.Combine(output.Path, "rbac-cilium.yaml"));
        Assert.Contains("apiVersion: guardian.ontai.dev/v1alpha1\nkind: RBACProfile\n", text);
        Assert.Contains("  name: rbac-cilium\n  namespace: seam-tenant-management\n", text);
        Assert.Contains("  principalRef: system:serviceaccount:kube-system:cilium\n", text);
        Assert.Contains("  principalRef: system:serviceaccount:kube-system:cilium-operator\n", text);
        Assert.Contains("  targetClusters:\n  - ccs-dev\n  - ccs-test\n  - management\n  rbacPolicyRef: platform-rbac-policy\n", text);
        Assert.Contains($"    ontai.dev/catalog-version: \"{ComponentCatalog.Version}\"\n", text);
        Assert.Contains("kind: PermissionSet\n", text);
    }

    [Fact]
    public async Task Handler_InstallNamespaceGiven_PrincipalAndNamespacedGrantsUseIt()
    {
        using var output = new TemporaryDirectory();
        var run = await CommandRun.InvokeAsync(null, ["component", "--component", "kueue=batch", .. Profile, "--output", output.Path]);

        Assert.True(run.ExitCode == 0, run.Stderr);
        var text = File.ReadAllText(Path.Combine(output.Path, "rbac-kueue.yaml"));
        Assert.Contains("principalRef: system:serviceaccount:batch:kueue-controller-manager\n", text);
        Assert.Contains("  - permissionSetRef: kueue-leader-election\n    scope: namespaced\n    namespaces:\n    - batch\n", text);
        Assert.DoesNotContain("kueue-system", text);
    }

    [Fact]
    public async Task Handler_UnknownComponentAmongKnown_Exit1ListsKnownNothingWritten()
    {
        using var parent = new TemporaryDirectory();
        var output = Path.Combine(parent.Path, "rbac");
        var run = await CommandRun.InvokeAsync(null,
            ["component", "--component", "cilium", "--component", "calico", "--component", "Kueue", .. Profile, "--output", output]);

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        var known = "known components: cert-manager, cilium, cnpg, kueue, local-path-provisioner, metallb";
        Assert.Contains($"compiler component: --component calico: 'calico' is not in the component catalog; {known}", run.Stderr);
        Assert.Contains($"--component Kueue: 'Kueue' is not in the component catalog; {known}", run.Stderr);
        Assert.Contains("2 error(s); nothing was written.", run.Stderr);
        Assert.Empty(Directory.GetFileSystemEntries(parent.Path));
    }

    [Fact]
    public async Task Handler_UnknownComponentIntoExistingDirectory_DirectoryStaysEmpty()
    {
        using var output = new TemporaryDirectory();
        var run = await CommandRun.InvokeAsync(null, ["component", "--component", "kueue", "--component", "nope", .. Profile, "--output", output.Path]);

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Empty(Directory.GetFileSystemEntries(output.Path));
    }

    public static TheoryData<string[], string> UsageErrors() => new()
    {
        { ["--component", "cilium", "--descriptor", "d.yaml", .. Profile, "--output", "o"], "--component and --descriptor are mutually exclusive" },
        { [.. Profile, "--output", "o"], "one of --component, --descriptor or --discover is required" },
        { ["--component", "cilium", .. Profile], "--output is required: the directory to write rbac-<component>.yaml to" },
        { ["--component", "cilium", "--target-clusters", "c", "--rbac-policy-ref", "p", "--output", "o"], "--namespace is required" },
        { ["--component", "cilium", "--namespace", "n", "--rbac-policy-ref", "p", "--output", "o"], "--target-clusters is required" },
        { ["--component", "cilium", "--namespace", "n", "--target-clusters", "c", "--output", "o"], "--rbac-policy-ref is required" },
        { ["--discover", "--component", "cilium"], "--discover reports what a cluster runs; it cannot be combined with --component or --descriptor" },
        { ["--discover", "--output", "o"], "--discover prints its report to stdout and writes no files" },
        { ["--discover", "--target-clusters", "c"], "--target-clusters and --rbac-policy-ref are for writing RBAC" },
        { ["--componnent", "cilium"], "--componnent" },
    };

    [Theory]
    [MemberData(nameof(UsageErrors))]
    public async Task Handler_BadUsage_Exit2NamingTheFlag(string[] flags, string message)
    {
        using var parent = new TemporaryDirectory();
        var run = await CommandRun.InvokeAsync(null, ["component", .. flags.Select(f => f == "o" ? Path.Combine(parent.Path, "o") : f)]);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains(message, run.Stderr + run.Stdout);
        Assert.Empty(Directory.GetFileSystemEntries(parent.Path));
    }

    public static TheoryData<string[], string> BadValues() => new()
    {
        { ["--component", "cilium", "--namespace", "Seam_System", "--target-clusters", "c", "--rbac-policy-ref", "p"], "--namespace: 'Seam_System' must be a DNS-1123 label" },
        { ["--component", "cilium", "--namespace", "n", "--target-clusters", " , ,", "--rbac-policy-ref", "p"], "--target-clusters: ' , ,' names no cluster" },
        { ["--component", "cilium", "--namespace", "n", "--target-clusters", "ok,Not_Ok", "--rbac-policy-ref", "p"], "--target-clusters: 'Not_Ok' must be a cluster name" },
        { ["--component", "cilium", "--namespace", "n", "--target-clusters", "c", "--rbac-policy-ref", "Policy!"], "--rbac-policy-ref: 'Policy!' must be the name of an RBACPolicy" },
        { ["--component", "cilium=Bad_NS", "--namespace", "n", "--target-clusters", "c", "--rbac-policy-ref", "p"], "--component cilium=Bad_NS: the namespace after '=' must be a DNS-1123 label" },
        { ["--component", "cilium", "--component", "cilium=other", "--namespace", "n", "--target-clusters", "c", "--rbac-policy-ref", "p"], "--component cilium=other: cilium is given twice" },
        { ["--descriptor", "/nonexistent/d.yaml", "--namespace", "n", "--target-clusters", "c", "--rbac-policy-ref", "p"], "/nonexistent/d.yaml: cannot read the descriptor" },
    };

    [Theory]
    [MemberData(nameof(BadValues))]
    public async Task Handler_BadValue_Exit1NamingFlagAndRuleNothingWritten(string[] flags, string message)
    {
        using var parent = new TemporaryDirectory();
        var run = await CommandRun.InvokeAsync(null, ["component", .. flags, "--output", Path.Combine(parent.Path, "rbac")]);

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Contains(message, run.Stderr);
        Assert.Empty(Directory.GetFileSystemEntries(parent.Path));
    }

    [Fact]
    public async Task Handler_SeveralBadValues_ReportsEveryError()
    {
        using var parent = new TemporaryDirectory();
        var run = await CommandRun.InvokeAsync(null,
            ["component", "--component", "x", "--namespace", "N", "--target-clusters", "C", "--rbac-policy-ref", "P", "--output", parent.Path]);

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Contains("4 error(s); nothing was written.", run.Stderr);
    }

    [Fact]
    public async Task Handler_OutputUnderAFile_Exit1NothingWritten()
    {
        using var parent = new TemporaryDirectory();
        var blocker = Path.Combine(parent.Path, "file");
        await File.WriteAllTextAsync(blocker, "not a directory", TestContext.Current.CancellationToken);

        var run = await CommandRun.InvokeAsync(null, ["component", "--component", "cnpg", .. Profile, "--output", Path.Combine(blocker, "rbac")]);

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Contains("cannot write the output", run.Stderr);
        Assert.Equal(["file"], GoldenDirectory.Files(parent.Path));
    }

    [Fact]
    public async Task Handler_ExistingDirectory_OtherFilesKeptOwnFileReplaced()
    {
        using var output = new TemporaryDirectory();
        await File.WriteAllTextAsync(Path.Combine(output.Path, "README.md"), "keep", TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(output.Path, "rbac-cnpg.yaml"), "old", TestContext.Current.CancellationToken);

        var run = await CommandRun.InvokeAsync(null, ["component", "--component", "cnpg", .. Profile, "--output", output.Path]);

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal(["README.md", "rbac-cnpg.yaml"], GoldenDirectory.Files(output.Path));
        Assert.Equal("keep", File.ReadAllText(Path.Combine(output.Path, "README.md")));
        Assert.Contains("kind: RBACProfile", File.ReadAllText(Path.Combine(output.Path, "rbac-cnpg.yaml")));
    }

    [Fact]
    public async Task Handler_Descriptor_MarkedForReviewWithFileNameNotPath()
    {
        using var output = new TemporaryDirectory();
        var run = await CommandRun.InvokeAsync(null, CaseArgs("descriptor", output.Path));

        Assert.True(run.ExitCode == 0, run.Stderr);
        var text = File.ReadAllText(Path.Combine(output.Path, "rbac-my-operator.yaml"));
        Assert.StartsWith("# HUMAN REVIEW REQUIRED", text);
        Assert.Contains("    ontai.dev/component-descriptor: my-operator.yaml\n", text);
        Assert.Contains("    seam.ontai.dev/review-required: \"true\"\n", text);
        Assert.DoesNotContain(CaseDirectory("descriptor"), text);
        Assert.DoesNotContain("catalog-version", text);
    }

    [Fact]
    public async Task Handler_DescriptorWithErrors_Exit1FileLineAndFieldPathNothingWritten()
    {
        using var input = new TemporaryDirectory();
        var descriptor = Path.Combine(input.Path, "bad.yaml");
        await File.WriteAllTextAsync(descriptor,
            "name: bad\nversion: v1\nnamespace: bad-system\nprincipals:\n- serviceAccount: bad\n  permissionSets:\n  - name: bad-all\n" +
            "    scope: cluster\n    rules:\n    - apiGroups: ['*']\n      resources: [pods]\n      verbs: [get, gett]\n      verb: [list]\n",
            TestContext.Current.CancellationToken);
        var output = Path.Combine(input.Path, "rbac");

        var run = await CommandRun.InvokeAsync(null, ["component", "--descriptor", descriptor, .. Profile, "--output", output]);

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Contains($"{descriptor}:13:7: principals[0].permissionSets[0].rules[0].verb: unknown field 'verb'", run.Stderr);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public async Task Handler_DescriptorValueErrors_Exit1FileLineAndFieldPath()
    {
        using var input = new TemporaryDirectory();
        var descriptor = Path.Combine(input.Path, "bad.yaml");
        await File.WriteAllTextAsync(descriptor,
            "name: bad\nversion: v1\nnamespace: bad-system\nprincipals:\n- serviceAccount: bad\n  permissionSets:\n  - name: bad-all\n" +
            "    scope: cluster\n    rules:\n    - apiGroups: ['*']\n      resources: [pods]\n      verbs: [get, gett]\n",
            TestContext.Current.CancellationToken);

        var run = await CommandRun.InvokeAsync(null, ["component", "--descriptor", descriptor, .. Profile, "--output", Path.Combine(input.Path, "rbac")]);

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Contains($"{descriptor}:10:19: principals[0].permissionSets[0].rules[0].apiGroups[0]: wildcards are not allowed", run.Stderr);
        Assert.Contains($"{descriptor}:12:20: principals[0].permissionSets[0].rules[0].verbs[1]: 'gett' is not a Kubernetes RBAC verb", run.Stderr);
        Assert.Contains("2 error(s); nothing was written.", run.Stderr);
    }

    [Fact]
    public async Task Help_ListsModesKnownComponentsAndExamples_Exit0()
    {
        var run = await CommandRun.InvokeAsync(null, "component", "--help");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Contains("--discover", run.Stdout);
        Assert.Contains($"catalog {ComponentCatalog.Version} (cert-manager, cilium, cnpg, kueue, local-path-provisioner, metallb)", run.Stdout);
        Assert.Contains("compiler component --component cilium --component kueue --namespace seam-tenant-ccs-dev", run.Stdout);
        Assert.Contains("compiler component --discover --kubeconfig", run.Stdout);
    }
}
