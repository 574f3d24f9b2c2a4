using Conductor.Compiler.Talos.Pki;
using Conductor.Randomness;

namespace Conductor.Compiler.Bootstrap;

/// <summary>What bootstrap draws from the outside world: the clock, randomness, RSA keys and the environment.</summary>
internal sealed record BootstrapServices(
    TimeProvider Time,
    IRandomSource Random,
    IRsaKeyGenerator Rsa,
    Func<string, string?> Environment,
    string WorkingDirectory)
{
    public static BootstrapServices System => new(
        TimeProvider.System, SystemRandomSource.Instance, SystemRsaKeyGenerator.Instance,
        global::System.Environment.GetEnvironmentVariable, global::System.Environment.CurrentDirectory);
}
