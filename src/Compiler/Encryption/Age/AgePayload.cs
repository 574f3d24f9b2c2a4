using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Conductor.Compiler.Encryption.Age;

/// <summary>The age payload: ChaCha20-Poly1305 STREAM over 64 KiB chunks, keyed from the file key and a 16-byte nonce.</summary>
internal static class AgePayload
{
    private static readonly byte[] Info = Encoding.ASCII.GetBytes("payload");

    public static void Encrypt(ReadOnlySpan<byte> fileKey, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> plaintext, Stream output)
    {
        output.Write(nonce);
        using var aead = new ChaCha20Poly1305(PayloadKey(fileKey, nonce));
        var chunkNonce = new byte[AgeFormat.NonceSize];
        var buffer = new byte[AgeFormat.ChunkSize + AgeFormat.TagSize];
        var offset = 0;
        ulong counter = 0;
        do
        {
            var length = Math.Min(AgeFormat.ChunkSize, plaintext.Length - offset);
            var last = offset + length == plaintext.Length;
            SetNonce(chunkNonce, counter++, last);
            aead.Encrypt(chunkNonce, plaintext.Slice(offset, length), buffer.AsSpan(0, length), buffer.AsSpan(length, AgeFormat.TagSize));
            output.Write(buffer, 0, length + AgeFormat.TagSize);
            offset += length;
        }
        while (offset < plaintext.Length);
    }

    public static byte[] Decrypt(ReadOnlySpan<byte> fileKey, ReadOnlySpan<byte> payload)
    {
        if (payload.Length < AgeFormat.PayloadNonceSize + AgeFormat.TagSize)
        {
            throw new AgeException("truncated age file: the payload is shorter than its nonce and one chunk");
        }
        using var aead = new ChaCha20Poly1305(PayloadKey(fileKey, payload[..AgeFormat.PayloadNonceSize]));
        var chunks = payload[AgeFormat.PayloadNonceSize..];
        var output = new MemoryStream(chunks.Length);
        var chunkNonce = new byte[AgeFormat.NonceSize];
        var plain = new byte[AgeFormat.ChunkSize];
        ulong counter = 0;
        while (true)
        {
            var length = Math.Min(AgeFormat.ChunkSize + AgeFormat.TagSize, chunks.Length);
            if (length < AgeFormat.TagSize)
            {
                throw new AgeException("truncated age file: the last chunk is shorter than its authentication tag");
            }
            // The chunk that ends the data must carry the last-chunk flag; a truncated file fails authentication here.
            var last = length == chunks.Length;
            var plainLength = length - AgeFormat.TagSize;
            if (last && plainLength == 0 && counter > 0)
            {
                throw new AgeException("malformed age file: an empty final chunk is allowed only for an empty file");
            }
            SetNonce(chunkNonce, counter++, last);
            try
            {
                aead.Decrypt(chunkNonce, chunks[..plainLength], chunks.Slice(plainLength, AgeFormat.TagSize), plain.AsSpan(0, plainLength));
            }
            catch (AuthenticationTagMismatchException e)
            {
                throw new AgeException($"age payload chunk {counter - 1} failed authentication: the file was modified or truncated", e);
            }
            output.Write(plain, 0, plainLength);
            chunks = chunks[length..];
            if (last)
            {
                return output.ToArray();
            }
        }
    }

    private static byte[] PayloadKey(ReadOnlySpan<byte> fileKey, ReadOnlySpan<byte> nonce) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, fileKey.ToArray(), 32, nonce.ToArray(), Info);

    private static void SetNonce(byte[] nonce, ulong counter, bool last)
    {
        // 11-byte big-endian counter, then the last-chunk flag.
        nonce.AsSpan().Clear();
        BinaryPrimitives.WriteUInt64BigEndian(nonce.AsSpan(3, 8), counter);
        nonce[11] = last ? (byte)1 : (byte)0;
    }
}
