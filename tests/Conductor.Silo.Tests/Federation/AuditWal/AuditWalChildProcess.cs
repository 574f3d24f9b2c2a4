using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;
using Conductor.Silo.Federation.AuditWal;
using Microsoft.Extensions.Logging.Abstractions;

namespace Conductor.Silo.Tests.Federation.AuditWal;

/// <summary>
/// Lets the test executable double as a process that appends to a WAL until it is killed. When started with
/// <see cref="DirectoryVariable"/> set it never reaches the test runner: it appends from several writers and
/// prints "sequence payload" for every append the WAL reported durable.
/// </summary>
internal static class AuditWalChildProcess
{
    public const string DirectoryVariable = "CONDUCTOR_TEST_WAL_CHILD_DIR";

    private const int ConcurrentAppends = 8;
    private const int MaxRounds = 50_000;

    public static Process Start(string directory)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet")
        {
            start.ArgumentList.Add(typeof(AuditWalChildProcess).Assembly.Location);
        }

        start.Environment[DirectoryVariable] = directory;
        return Process.Start(start) ?? throw new InvalidOperationException("the WAL child process did not start");
    }

#pragma warning disable CA2255 // The test executable's own entry point; the only way in before the test runner starts.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void RunIfChild()
    {
        if (Environment.GetEnvironmentVariable(DirectoryVariable) is not { Length: > 0 } directory)
        {
            return;
        }

        // Synchronous and without lambdas on purpose: this runs inside the module initializer, and another thread
        // touching a type of this assembly would wait for the initializer to finish, that is, for ever.
        var wal = Silo.Federation.AuditWal.AuditWal.Open(
            new AuditWalOptions { Path = directory, SegmentBytes = 64 * 1024 }, NullLogger<Silo.Federation.AuditWal.AuditWal>.Instance);
        var payloads = new string[ConcurrentAppends];
        var appends = new Task<ulong>[ConcurrentAppends];
        for (var round = 0; round < MaxRounds; round++)
        {
            for (var i = 0; i < ConcurrentAppends; i++)
            {
                payloads[i] = $"r{round}-{i}-{new string('x', (round + i) % 300)}";
                appends[i] = wal.AppendAsync(Encoding.UTF8.GetBytes(payloads[i]));
            }

            Task.WaitAll(appends);
            for (var i = 0; i < ConcurrentAppends; i++)
            {
                Console.Out.WriteLine($"{appends[i].Result} {payloads[i]}");
            }

            Console.Out.Flush();
        }

        Environment.Exit(0);
    }
}
