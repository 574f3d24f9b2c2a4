using Conductor.Bench.Custody;
using k8s;

// Usage: Conductor.Bench.Custody [verify|sign|all] [count]. `sign` needs KUBECONFIG (the management kube-apiserver).
var what = args.Length > 0 ? args[0] : "all";
if (what is "verify" or "all")
{
    VerificationBench.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 20_000, Console.Out);
}
if (what is "sign" or "all")
{
    var path = Environment.GetEnvironmentVariable("KUBECONFIG");
    if (string.IsNullOrEmpty(path) || !File.Exists(path))
    {
        Console.Error.WriteLine("KUBECONFIG must name the management kube-apiserver's kubeconfig: run `scripts/test-servers.sh up` and `source .ci/out/test-env.sh`.");
        return 2;
    }
    using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(path));
    var count = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 2_000;
    await SigningBench.RunAsync(client, count, concurrency: 32, Console.Out);
}
return 0;
