namespace Conductor.Compiler.Encryption.Age;

/// <summary>Sizes and markers fixed by the age v1 format (c2sp.org/age).</summary>
internal static class AgeFormat
{
    public const string VersionLine = "age-encryption.org/v1";
    public const int FileKeySize = 16;
    public const int PayloadNonceSize = 16;
    public const int NonceSize = 12;
    public const int TagSize = 16;
    public const int ChunkSize = 64 * 1024;
    public const int ColumnsPerLine = 64;
}
