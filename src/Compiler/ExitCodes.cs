namespace Conductor.Compiler;

/// <summary>Exit codes of every compiler verb (DESIGN §2).</summary>
internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>Invalid input, a compile error, or output that could not be written.</summary>
    public const int Failure = 1;

    /// <summary>Bad usage: an unknown verb or option, or a missing required option.</summary>
    public const int Usage = 2;
}
