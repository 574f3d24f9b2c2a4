using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using Conductor.Signing;

namespace Conductor.Bench.Custody;

/// <summary>
/// Verifications per second of signed PackInstalled-sized specs (canonicalise + Ed25519 verify, as the tenant does),
/// against a baseline of SHA-256 over the same canonical bytes, single-threaded and on every core.
/// </summary>
public static class VerificationBench
{
    public static void Run(int count, TextWriter output)
    {
        var key = Ed25519PrivateKey.Generate();
        var signer = new SpecSigner(key);
        var verifier = new SpecVerifier(new TrustedKeySet([key.PublicKey]));
        var specs = new JsonElement[count];
        var signatures = new SpecSignature[count];
        var canonical = new byte[count][];
        for (var i = 0; i < count; i++)
        {
            using var document = JsonDocument.Parse($$$"""
                {"clusterPackRef":"nginx-{{{i}}}","version":"1.2.{{{i}}}","targetClusterRef":"tenant-a","chartName":"nginx",
                 "chartVersion":"15.0.{{{i}}}","chartURL":"oci://registry.local/charts","helmVersion":"v3.14.0","dependsOn":["cert-manager","ingress"],
                 "dependencyPolicy":{"onDrift":"Warn"}}
                """);
            specs[i] = document.RootElement.Clone();
            signatures[i] = signer.Sign(specs[i]);
            canonical[i] = JsonCanonicalizer.Canonicalize(specs[i]);
        }
        Verify(verifier, specs, signatures, 0, Math.Min(count, 500)); // warm up

        var hashRate = Rate(count, () =>
        {
            for (var i = 0; i < count; i++)
            {
                SHA256.HashData(canonical[i]);
            }
        });
        var rawRate = Rate(count, () =>
        {
            for (var i = 0; i < count; i++)
            {
                key.PublicKey.Verify(canonical[i], Convert.FromBase64String(signatures[i].Signature));
            }
        });
        var singleRate = Rate(count, () => Verify(verifier, specs, signatures, 0, count));
        var parallelRate = Rate(count, () => Parallel.For(0, Environment.ProcessorCount, part =>
        {
            var size = (count + Environment.ProcessorCount - 1) / Environment.ProcessorCount;
            Verify(verifier, specs, signatures, part * size, Math.Min(count, (part + 1) * size));
        }));

        output.WriteLine($"verification: {count} signed specs ({canonical[0].Length} canonical bytes each), {Environment.ProcessorCount} cores");
        output.WriteLine($"  baseline SHA-256 over canonical bytes      {hashRate,12:N0} /s");
        output.WriteLine($"  Ed25519 verify of canonical bytes, 1 core  {rawRate,12:N0} /s");
        output.WriteLine($"  SpecVerifier (canonicalise+verify), 1 core {singleRate,12:N0} /s");
        output.WriteLine($"  SpecVerifier, all cores                    {parallelRate,12:N0} /s");
    }

    private static void Verify(SpecVerifier verifier, JsonElement[] specs, SpecSignature[] signatures, int from, int to)
    {
        for (var i = from; i < to; i++)
        {
            if (!verifier.Verify(specs[i], signatures[i].KeyId, signatures[i].Signature).IsValid)
            {
                throw new InvalidOperationException($"spec {i} did not verify");
            }
        }
    }

    private static double Rate(int count, Action work)
    {
        var clock = Stopwatch.StartNew();
        work();
        return count / clock.Elapsed.TotalSeconds;
    }
}
