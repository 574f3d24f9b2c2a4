using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Conductor.Randomness;

namespace Conductor.TestSupport.Randomness;

/// <summary>
/// A reproducible byte stream for tests: SHA-256(seed || counter) blocks. Two instances with the same seed yield the
/// same bytes, so encrypted or signed output can be compared byte for byte. Never use outside tests.
/// </summary>
public sealed class DeterministicRandomSource(string seed) : IRandomSource
{
    private readonly byte[] _seed = Encoding.UTF8.GetBytes(seed);
    private readonly byte[] _block = new byte[32];
    private ulong _counter;
    private int _used = 32;

    public void Fill(Span<byte> destination)
    {
        for (var i = 0; i < destination.Length; i++)
        {
            if (_used == _block.Length)
            {
                var input = new byte[_seed.Length + 8];
                _seed.CopyTo(input, 0);
                BinaryPrimitives.WriteUInt64BigEndian(input.AsSpan(_seed.Length), _counter++);
                SHA256.HashData(input, _block);
                _used = 0;
            }
            destination[i] = _block[_used++];
        }
    }
}
