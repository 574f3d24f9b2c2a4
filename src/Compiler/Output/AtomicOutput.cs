using System.Text;

namespace Conductor.Compiler.Output;

/// <summary>
/// Writes a set of files into an output directory so that a failure leaves no half-written output: everything is
/// written to a staging directory on the same file system first, then renamed into place.
/// </summary>
internal static class AtomicOutput
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>
    /// <see cref="WriteAsync"/> for a command: an I/O or permission failure is printed to <paramref name="stderr"/> as
    /// <paramref name="problem"/> of the exception's message, and false returned so the command exits with failure.
    /// </summary>
    public static async Task<bool> TryWriteAsync(string directory, IEnumerable<(string Name, string Content)> files, TextWriter stderr,
        Func<string, string> problem, CancellationToken cancellationToken)
    {
        try
        {
            await WriteAsync(directory, files, cancellationToken);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await stderr.WriteLineAsync(problem(ex.Message));
            return false;
        }
    }

    /// <summary>
    /// Writes <paramref name="files"/> (names are '/'-separated paths relative to <paramref name="directory"/>).
    /// </summary>
    public static async Task WriteAsync(string directory, IEnumerable<(string Name, string Content)> files, CancellationToken cancellationToken)
    {
        var target = Path.GetFullPath(directory);
        if (File.Exists(target))
        {
            throw new IOException($"'{target}' is a file, not a directory.");
        }
        var exists = Directory.Exists(target);
        var parent = Path.GetDirectoryName(target.TrimEnd(Path.DirectorySeparatorChar))
            ?? throw new IOException($"'{target}' has no parent directory to stage the output in.");
        if (!exists)
        {
            Directory.CreateDirectory(parent);
        }
        // Staging beside the target (or inside it when it exists) keeps the final renames on one file system.
        var staging = exists
            ? Path.Combine(target, $".compiler-staging-{Guid.NewGuid():N}")
            : Path.Combine(parent, $".{Path.GetFileName(target.TrimEnd(Path.DirectorySeparatorChar))}.compiler-staging-{Guid.NewGuid():N}");

        var names = new List<string>();
        try
        {
            Directory.CreateDirectory(staging);
            foreach (var (name, content) in files)
            {
                if (!IsRelativePath(name))
                {
                    throw new IOException($"output file name '{name}' must be a relative path below the output directory.");
                }
                var path = Path.Combine(staging, name);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                await File.WriteAllTextAsync(path, content, Utf8NoBom, cancellationToken);
                names.Add(name);
            }

            if (!exists)
            {
                Directory.Move(staging, target);
                return;
            }
            foreach (var name in names)
            {
                var destination = Path.Combine(target, name);
                Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
                File.Move(Path.Combine(staging, name), destination, overwrite: true);
            }
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
    }

    // Names are '/'-separated, relative, and never climb out of the output directory.
    private static bool IsRelativePath(string name) =>
        name.Length > 0 && !name.Contains('\\') && !Path.IsPathRooted(name)
        && name.Split('/').All(part => part.Length > 0 && part is not "." and not "..");
}
