using Conductor.Resources.Guardian;
using static Conductor.Components.Catalog.Grant;

namespace Conductor.Components.Catalog;

/// <summary>
/// MetalLB v0.14 in metallb-system: the controller (IP address assignment; service account <c>controller</c>) and
/// the speaker DaemonSet (announcements; <c>speaker</c>). Their names are generic, so workloads are recognised by
/// MetalLB's labels only.
/// </summary>
internal static class MetalLb
{
    private const string Group = "metallb.io";

    private static readonly string[] Configuration =
        ["bfdprofiles", "bgpadvertisements", "bgppeers", "communities", "ipaddresspools", "l2advertisements"];

    private static readonly string[] Crds =
    [
        "bfdprofiles.metallb.io", "bgpadvertisements.metallb.io", "bgppeers.metallb.io", "communities.metallb.io",
        "ipaddresspools.metallb.io", "l2advertisements.metallb.io", "servicel2statuses.metallb.io",
    ];

    public static ComponentDefinition Definition { get; } = new(
        "metallb", "v0.14", "MetalLB load-balancer controller and speaker", "metallb-system",
        [
            new(WorkloadKind.Deployment, "controller",
                [Labels(("app", "metallb"), ("component", "controller")), Labels(("app.kubernetes.io/name", "metallb"), ("app.kubernetes.io/component", "controller"))]),
            new(WorkloadKind.DaemonSet, "speaker",
                [Labels(("app", "metallb"), ("component", "speaker")), Labels(("app.kubernetes.io/name", "metallb"), ("app.kubernetes.io/component", "speaker"))]),
        ],
        [
            new("rbac-metallb-controller", "controller",
            [
                new("metallb-controller",
                    "Assigns addresses to LoadBalancer services, and keeps the CA bundle of its webhook and CRD conversion current.",
                    PermissionScope.Cluster,
                    [
                        Rule(Core, ["services", "namespaces"], Read),
                        Rule(Core, ["services/status"], "update"),
                        Named("admissionregistration.k8s.io", ["validatingwebhookconfigurations"], ["metallb-webhook-configuration"], "get", "list", "watch", "update"),
                        Named("apiextensions.k8s.io", ["customresourcedefinitions"], Crds, "get", "list", "watch", "update"),
                        Events,
                    ]),
                new("metallb-controller-namespaced",
                    "Its address pools and configuration, and the webhook certificate and memberlist Secrets, in its own namespace.",
                    PermissionScope.Namespaced,
                    [
                        Rule(Group, Configuration, Read),
                        Rule(Group, ["ipaddresspools/status"], "update"),
                        Rule(Core, ["secrets"], "get", "list", "watch", "create", "update", "patch", "delete"),
                    ]),
            ]),
            new("rbac-metallb-speaker", "speaker",
            [
                new("metallb-speaker",
                    "Watches services, endpoints and nodes to announce load-balancer addresses over L2 or BGP.",
                    PermissionScope.Cluster,
                    [
                        Rule(Core, ["services", "endpoints", "nodes", "namespaces"], Read),
                        Rule("discovery.k8s.io", ["endpointslices"], Read),
                        Events,
                    ]),
                new("metallb-speaker-namespaced",
                    "Its configuration, memberlist Secret and speaker pods, and the L2 announcement status it publishes, in its own namespace.",
                    PermissionScope.Namespaced,
                    [
                        Rule(Group, [.. Configuration, "servicel2statuses"], Read),
                        Rule(Group, ["servicel2statuses", "servicel2statuses/status"], "create", "update", "patch", "delete"),
                        Rule(Core, ["pods", "secrets", "configmaps"], Read),
                    ]),
            ]),
        ]);
}
