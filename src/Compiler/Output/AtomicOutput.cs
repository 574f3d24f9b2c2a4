using System.Text;

namespace Conductor.Compiler.Output;

/// <summary>
/// Writes a set of files into an output directory so that a failure leaves no half-written output: everything is
/// written to a staging directory on the same file system first, then renamed into place.
/// </summary>
internal static class AtomicOutput
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

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
                if (name.Contains('/') || name.Contains('\\') || name is "." or "..")
                {
                    throw new IOException($"output file name '{name}' must be a plain file name.");
                }
                await File.WriteAllTextAsync(Path.Combine(staging, name), content, Utf8NoBom, cancellationToken);
                names.Add(name);
            }

            if (!exists)
            {
                Directory.Move(staging, target);
                return;
            }
            foreach (var name in names)
            {
                File.Move(Path.Combine(staging, name), Path.Combine(target, name), overwrite: true);
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
}
