namespace Conductor.Bench.Compiler;

/// <summary>The five-node cluster declaration that the bootstrap target (≤ 1 s) is measured on.</summary>
internal static class FiveNodeCluster
{
    public const string Input =
        """
        name: bench
        mode: bootstrap
        role: management
        ciliumPrerequisites: true
        registryMirrors:
        - registry: docker.io
          endpoints: [http://10.20.0.1:5000]
        bootstrap:
          controlPlaneEndpoint: https://10.20.0.10:6443
          talosVersion: v1.9.3
          nodes:
          - {hostname: bench-cp1, ip: 10.20.0.11, role: init}
          - {hostname: bench-cp2, ip: 10.20.0.12, role: controlplane}
          - {hostname: bench-cp3, ip: 10.20.0.13, role: controlplane}
          - {hostname: bench-w1, ip: 10.20.0.21, role: worker}
          - {hostname: bench-w2, ip: 10.20.0.22, role: worker}
        """;
}
