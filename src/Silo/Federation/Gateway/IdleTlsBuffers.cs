using System.Net.Security;
using System.Reflection;
using System.Runtime.InteropServices;

namespace Conductor.Silo.Federation.Gateway;

/// <summary>
/// Lets OpenSSL free a federation connection's TLS record buffers while the connection is idle. Without
/// <c>SSL_MODE_RELEASE_BUFFERS</c>, OpenSSL keeps a ~17 KB read and a ~17 KB write buffer for the whole life of every
/// connection; a tenant holds one long, mostly idle stream, so that was a third of management's memory per connected
/// tenant (issue #3: 1 000 tenants, 95-112 -> 77-86 KB each, bench/Conductor.Bench.Federation/README.md, session 8).
/// .NET sets only <c>SSL_MODE_AUTO_RETRY</c> on Linux and has no option for this, so the mode is set on the SSL object
/// of each accepted <see cref="SslStream"/>, after its handshake and before HTTP/2 reads from it.
/// </summary>
/// <remarks>
/// The SSL object is reached through <see cref="SslStream"/>'s private security context, whose handle is OpenSSL's
/// <c>SSL*</c> in the .NET 10 runtime on Linux (checked: its mode reads back as .NET's <c>SSL_MODE_AUTO_RETRY</c>).
/// That is runtime internals, so it is done only where it was verified, .NET 10 on Linux with libssl 3, and any
/// other runtime, platform or library leaves the connection as it is: the buffers stay, nothing else changes.
/// </remarks>
internal static class IdleTlsBuffers
{
    private const int SslCtrlMode = 33; // SSL_CTRL_MODE: SSL_set_mode / SSL_get_mode are this control
    private const long ModeAutoRetry = 0x4; // SSL_MODE_AUTO_RETRY, which .NET sets on every SSL object it creates
    private const long ModeReleaseBuffers = 0x10; // SSL_MODE_RELEASE_BUFFERS

    private static readonly FieldInfo? SecurityContext = OperatingSystem.IsLinux() && Environment.Version.Major == 10
        ? typeof(SslStream).GetField("_securityContext", BindingFlags.NonPublic | BindingFlags.Instance)
        : null;

    /// <summary>Whether this runtime is one the release was verified on (.NET 10, Linux).</summary>
    public static bool Supported => SecurityContext is not null;

    /// <summary>Sets <c>SSL_MODE_RELEASE_BUFFERS</c> on an authenticated stream; false when it could not be.</summary>
    public static bool Release(SslStream stream) => Mode(stream, ModeReleaseBuffers) is { } mode && (mode & ModeReleaseBuffers) != 0;

    /// <summary>The stream's OpenSSL mode bits, or null where they cannot be read (see remarks).</summary>
    internal static long? ModeOf(SslStream stream) => Mode(stream, set: 0);

    private static long? Mode(SslStream stream, long set)
    {
        if (SecurityContext?.GetValue(stream) is not SafeHandle ssl || ssl.IsInvalid || ssl.IsClosed)
        {
            return null;
        }

        var added = false;
        try
        {
            ssl.DangerousAddRef(ref added);
            var current = SslCtrl(ssl.DangerousGetHandle(), SslCtrlMode, 0, IntPtr.Zero);
            if ((current & ModeAutoRetry) == 0)
            {
                return null; // not an SSL object .NET made: touch nothing
            }
            return set == 0 ? current : SslCtrl(ssl.DangerousGetHandle(), SslCtrlMode, set, IntPtr.Zero);
        }
        catch (Exception missing) when (missing is DllNotFoundException or EntryPointNotFoundException)
        {
            return null; // no libssl 3 here
        }
        finally
        {
            if (added)
            {
                ssl.DangerousRelease();
            }
        }
    }

    // DllImport, not LibraryImport: three plain arguments need no marshalling, and LibraryImport needs unsafe code.
    [DllImport("libssl.so.3", EntryPoint = "SSL_ctrl", ExactSpelling = true)]
    private static extern long SslCtrl(IntPtr ssl, int command, long argument, IntPtr pointer);
}
