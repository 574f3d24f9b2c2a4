using Conductor.Resources.Guardian;
using static Conductor.Components.Catalog.Grant;

namespace Conductor.Components.Catalog;

/// <summary>
/// Cilium v1.16: the per-node agent (DaemonSet, service account <c>cilium</c>) and the operator (Deployment,
/// <c>cilium-operator</c>), in kube-system. The operator registers Cilium's CRDs itself, so it may create CRDs and
/// update only those named here.
/// </summary>
internal static class Cilium
{
    private const string Group = "cilium.io";

    private static readonly string[] Crds =
    [
        "ciliumbgpadvertisements.cilium.io", "ciliumbgpclusterconfigs.cilium.io", "ciliumbgpnodeconfigoverrides.cilium.io",
        "ciliumbgpnodeconfigs.cilium.io", "ciliumbgppeerconfigs.cilium.io", "ciliumbgppeeringpolicies.cilium.io",
        "ciliumcidrgroups.cilium.io", "ciliumclusterwideenvoyconfigs.cilium.io", "ciliumclusterwidenetworkpolicies.cilium.io",
        "ciliumegressgatewaypolicies.cilium.io", "ciliumendpoints.cilium.io", "ciliumendpointslices.cilium.io",
        "ciliumenvoyconfigs.cilium.io", "ciliumexternalworkloads.cilium.io", "ciliumidentities.cilium.io",
        "ciliuml2announcementpolicies.cilium.io", "ciliumloadbalancerippools.cilium.io", "ciliumlocalredirectpolicies.cilium.io",
        "ciliumnetworkpolicies.cilium.io", "ciliumnodeconfigs.cilium.io", "ciliumnodes.cilium.io", "ciliumpodippools.cilium.io",
    ];

    public static ComponentDefinition Definition { get; } = new(
        "cilium", "v1.16", "Cilium CNI agent and operator", "kube-system",
        [
            new(WorkloadKind.DaemonSet, "cilium", [Labels(("k8s-app", "cilium"))]),
            new(WorkloadKind.Deployment, "cilium-operator", [Labels(("io.cilium/app", "operator"))]),
        ],
        [
            new("rbac-cilium", "cilium",
            [
                new("cilium-agent",
                    "The node agent: watches the cluster's network state, maintains its own endpoints, identities and node object, " +
                    "and reports policy status.",
                    PermissionScope.Cluster,
                    [
                        Rule("networking.k8s.io", ["networkpolicies"], Read),
                        Rule("discovery.k8s.io", ["endpointslices"], Read),
                        Rule(Core, ["namespaces", "services", "pods", "endpoints", "nodes"], Read),
                        Rule("apiextensions.k8s.io", ["customresourcedefinitions"], Read),
                        Rule(Group,
                        [
                            "ciliumbgpadvertisements", "ciliumbgpnodeconfigs", "ciliumbgppeerconfigs", "ciliumbgppeeringpolicies",
                            "ciliumcidrgroups", "ciliumclusterwideenvoyconfigs", "ciliumclusterwidenetworkpolicies",
                            "ciliumegressgatewaypolicies", "ciliumendpoints", "ciliumendpointslices", "ciliumenvoyconfigs",
                            "ciliumidentities", "ciliuml2announcementpolicies", "ciliumloadbalancerippools",
                            "ciliumlocalredirectpolicies", "ciliumnetworkpolicies", "ciliumnodeconfigs", "ciliumnodes", "ciliumpodippools",
                        ], "list", "watch"),
                        Rule(Group, ["ciliumidentities", "ciliumendpoints", "ciliumnodes"], "create"),
                        Rule(Group, ["ciliumidentities"], "update"),
                        Rule(Group, ["ciliumendpoints"], "get", "delete"),
                        Rule(Group, ["ciliumnodes", "ciliumnodes/status"], "get", "update"),
                        Rule(Group,
                        [
                            "ciliumnetworkpolicies/status", "ciliumclusterwidenetworkpolicies/status", "ciliumendpoints/status",
                            "ciliumendpoints", "ciliuml2announcementpolicies/status", "ciliumbgpnodeconfigs/status",
                        ], "patch"),
                    ]),
                new("cilium-agent-config",
                    "Reads the cilium-config ConfigMap in its own namespace.",
                    PermissionScope.Namespaced,
                    [Rule(Core, ["configmaps"], Read)]),
            ]),
            new("rbac-cilium-operator", "cilium-operator",
            [
                new("cilium-operator",
                    "Cluster-wide housekeeping: garbage-collects identities and endpoints, manages CiliumNodes and IPAM pools, " +
                    "LB-IPAM service status, BGP resources, removes the agent-not-ready taint, restarts unmanaged pods, and registers Cilium's CRDs.",
                    PermissionScope.Cluster,
                    [
                        Rule(Core, ["pods"], "get", "list", "watch", "delete"),
                        Rule(Core, ["nodes"], "list", "watch"),
                        Rule(Core, ["nodes", "nodes/status"], "patch"),
                        Rule(Core, ["services", "endpoints", "namespaces", "secrets"], Read),
                        Rule(Core, ["services/status"], "update", "patch"),
                        Rule("discovery.k8s.io", ["endpointslices"], Read),
                        Rule(Group, ["ciliumnetworkpolicies", "ciliumclusterwidenetworkpolicies"], "get", "list", "watch", "create", "update", "patch", "delete", "deletecollection"),
                        Rule(Group, ["ciliumnetworkpolicies/status", "ciliumclusterwidenetworkpolicies/status"], "update", "patch"),
                        Rule(Group, ["ciliumendpoints", "ciliumidentities"], "list", "watch", "delete"),
                        Rule(Group, ["ciliumidentities"], "update"),
                        Rule(Group, ["ciliumnodes"], "get", "list", "watch", "create", "update", "delete"),
                        Rule(Group, ["ciliumnodes/status"], "update"),
                        Rule(Group, ["ciliumendpointslices", "ciliumenvoyconfigs", "ciliumbgppeerconfigs", "ciliumbgpadvertisements", "ciliumbgpnodeconfigs"], ReadWrite),
                        Rule(Group, ["ciliumbgpclusterconfigs/status", "ciliumbgppeerconfigs/status"], "update"),
                        Rule(Group, ["ciliumloadbalancerippools", "ciliumpodippools", "ciliumbgpclusterconfigs", "ciliumbgpnodeconfigoverrides"], Read),
                        Rule(Group, ["ciliumpodippools"], "create"),
                        Rule(Group, ["ciliumloadbalancerippools/status"], "patch"),
                        Rule("apiextensions.k8s.io", ["customresourcedefinitions"], "get", "list", "watch", "create"),
                        Named("apiextensions.k8s.io", ["customresourcedefinitions"], Crds, "update"),
                    ]),
                new("cilium-operator-config",
                    "Reads cilium-config and patches it for the operator's own settings.",
                    PermissionScope.Namespaced,
                    [Rule(Core, ["configmaps"], Read), Named(Core, ["configmaps"], ["cilium-config"], "patch")]),
                LeaderElection("cilium-operator-leader-election", "the Cilium operator"),
            ]),
        ]);
}
