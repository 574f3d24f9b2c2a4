using Conductor.Resources.Guardian;
using static Conductor.Components.Catalog.Grant;

namespace Conductor.Components.Catalog;

/// <summary>
/// Kueue v0.9: the controller manager (service account <c>kueue-controller-manager</c>) in kueue-system. Only the
/// batch/Job and plain-Pod integrations are granted, which is what Seam runs through Kueue; enabling JobSet, Kubeflow
/// or Ray integrations needs their job kinds added through a descriptor.
/// </summary>
internal static class Kueue
{
    private const string Group = "kueue.x-k8s.io";

    private static readonly string[] Kinds =
    [
        "admissionchecks", "clusterqueues", "cohorts", "localqueues", "multikueueclusters", "multikueueconfigs",
        "provisioningrequestconfigs", "resourceflavors", "workloadpriorityclasses", "workloads",
    ];

    public static ComponentDefinition Definition { get; } = new(
        "kueue", "v0.9", "Kueue batch scheduler", "kueue-system",
        [
            new(WorkloadKind.Deployment, "kueue-controller-manager",
                [Labels(("app.kubernetes.io/name", "kueue"), ("control-plane", "controller-manager"))]),
        ],
        [
            new("rbac-kueue", "kueue-controller-manager",
            [
                new("kueue-cluster-scheduling",
                    "Kueue's own API (queues, flavors, workloads, admission checks) and what quota decisions read: " +
                    "priority classes, runtime classes, limit ranges, namespaces and API priority and fairness.",
                    PermissionScope.Cluster,
                    [
                        Rule(Group, Kinds, ReadWrite),
                        Rule(Group, [.. Kinds.Select(kind => kind + "/status")], StatusWrite),
                        Rule(Group, [.. Kinds.Select(kind => kind + "/finalizers")], "update"),
                        Rule("scheduling.k8s.io", ["priorityclasses"], Read),
                        Rule("node.k8s.io", ["runtimeclasses"], Read),
                        Rule(Core, ["limitranges", "namespaces"], Read),
                        Rule("flowcontrol.apiserver.k8s.io", ["flowschemas", "prioritylevelconfigurations"], "list", "watch"),
                        Rule("flowcontrol.apiserver.k8s.io", ["flowschemas/status"], "patch"),
                    ]),
                new("kueue-job-admission",
                    "Suspends, admits and finishes batch Jobs and plain Pods, with the pod templates and owner lookups that takes.",
                    PermissionScope.Cluster,
                    [
                        Rule("batch", ["jobs"], "get", "list", "watch", "update", "patch"),
                        Rule("batch", ["jobs/status", "jobs/finalizers"], StatusWrite),
                        Rule(Core, ["pods"], "get", "list", "watch", "update", "patch", "delete"),
                        Rule(Core, ["pods/status"], "get", "patch"),
                        Rule(Core, ["pods/finalizers"], "get", "update"),
                        Rule(Core, ["podtemplates"], "get", "list", "watch", "create", "update", "delete"),
                        Rule("apps", ["replicasets", "statefulsets"], Read),
                        Events,
                    ]),
                new("kueue-workload-management",
                    "Kueue's admission webhooks: it rotates their serving certificate and injects the CA bundle.",
                    PermissionScope.Cluster,
                    [
                        Named("admissionregistration.k8s.io", ["mutatingwebhookconfigurations"], ["kueue-mutating-webhook-configuration"], "get", "list", "watch", "update"),
                        Named("admissionregistration.k8s.io", ["validatingwebhookconfigurations"], ["kueue-validating-webhook-configuration"], "get", "list", "watch", "update"),
                        Rule("authentication.k8s.io", ["tokenreviews"], "create"),
                        Rule("authorization.k8s.io", ["subjectaccessreviews"], "create"),
                    ]),
                new("kueue-webhook-certificates",
                    "The webhook serving certificate Secret in its own namespace.",
                    PermissionScope.Namespaced,
                    [Rule(Core, ["secrets"], "get", "list", "watch", "update")]),
                LeaderElection("kueue-leader-election", "the Kueue controller manager"),
            ]),
        ]);
}
