namespace Conductor.Grains.Sequencing;

/// <summary>One RBAC rule: the verbs used on a resource of an API group ("" is the core group).</summary>
public sealed record PermissionRule(string ApiGroup, string Resource, IReadOnlyList<string> Verbs);

/// <summary>
/// Every API verb the step sequencer uses (STYLE 14), all in the sequencer's namespace: the role shipped for the
/// management agent must grant at least these.
/// </summary>
public static class SequencerPermissions
{
    public static IReadOnlyList<PermissionRule> Rules { get; } =
    [
        // The watch service lists and watches; the grain reads one RunnerConfig per pass.
        new(Resources.SeamApi.Group, Resources.Seam.RunnerConfig.Plural, ["get", "list", "watch"]),
        // StatusWriter: guarded replace of the status subresource.
        new(Resources.SeamApi.Group, Resources.Seam.RunnerConfig.Plural + "/status", ["get", "update"]),
        // StepJobs and ResultHarvester create and read Jobs; the watch service lists and watches them; a deleted
        // RunnerConfig's unfinished Jobs are listed and deleted.
        new("batch", "jobs", ["create", "get", "list", "watch", "delete"]),
        // ResultHarvester reads the result ConfigMap named after the Job.
        new("", "configmaps", ["get"]),
    ];
}
