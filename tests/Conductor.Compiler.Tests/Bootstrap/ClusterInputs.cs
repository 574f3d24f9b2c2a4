namespace Conductor.Compiler.Tests.Bootstrap;

/// <summary>ClusterInput documents the bootstrap tests start from.</summary>
internal static class ClusterInputs
{
    /// <summary>The upstream tests' three-node input (compiler notes §10 #1): Talos v1.7.0, k8s 1.30.0, role tenant.</summary>
    public const string ThreeNodeTenant =
        """
        name: ccs-mgmt
        mode: bootstrap
        role: tenant
        bootstrap:
          controlPlaneEndpoint: https://10.20.0.10:6443
          talosVersion: v1.7.0
          kubernetesVersion: 1.30.0
          nodes:
          - hostname: node1
            ip: 10.20.0.11
            role: init
          - hostname: node2
            ip: 10.20.0.12
            role: controlplane
          - hostname: node3
            ip: 10.20.0.13
            role: worker
        """;

    /// <summary>A five-node management cluster with every optional feature.</summary>
    public const string FiveNodeManagement =
        """
        name: ccs-mgmt
        mode: bootstrap
        role: management
        ciliumPrerequisites: true
        registryMirrors:
        - registry: docker.io
          endpoints: [http://10.20.0.1:5000]
        - registry: ghcr.io
          endpoints: [http://10.20.0.1:5000]
        patches:
        - |
          machine:
            sysctls:
              net.core.somaxconn: "65535"
        - |
          machine:
            sysctls:
              vm.max_map_count: "262144"
        bootstrap:
          controlPlaneEndpoint: https://10.20.0.10:6443
          talosVersion: v1.9.3
          installDisk: /dev/vda
          nodes:
          - {hostname: ccs-mgmt-cp1, ip: 10.20.0.11, role: init}
          - {hostname: ccs-mgmt-cp2, ip: 10.20.0.12, role: controlplane}
          - {hostname: ccs-mgmt-cp3, ip: 10.20.0.13, role: controlplane}
          - {hostname: ccs-mgmt-w1, ip: 10.20.0.21, role: worker}
          - {hostname: ccs-mgmt-w2, ip: 10.20.0.22, role: worker}
        """;
}
