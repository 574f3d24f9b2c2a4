using System.Buffers.Binary;
using Conductor.Silo.Federation.AuditWal;

namespace Conductor.Silo.Tests.Federation.AuditWal;

public sealed class AckedSequenceFileTests : IDisposable
{
    private const int SlotBytes = 512;

    private readonly string _dir = Directory.CreateTempSubdirectory("conductor-acked-").FullName;

    private string FilePath => Path.Combine(_dir, "acked");

    [Fact]
    public void Open_NoFile_ZeroAndCreatesTheTwoSlotFile()
    {
        using var file = AckedSequenceFile.Open(_dir, out var stored);

        Assert.Equal(0UL, stored);
        Assert.Equal(2 * SlotBytes, new FileInfo(FilePath).Length);
    }

    [Fact]
    public void Write_ThenReopen_ReadsTheLastValue()
    {
        using (var file = AckedSequenceFile.Open(_dir, out _))
        {
            file.Write(7);
            file.Write(42);
        }

        using var reopened = AckedSequenceFile.Open(_dir, out var stored);

        Assert.Equal(42UL, stored);
    }

    [Fact]
    public void Write_AfterReopen_GoesToTheSlotNotHoldingTheValue()
    {
        using (var file = AckedSequenceFile.Open(_dir, out _))
        {
            file.Write(5); // slot 1
        }

        using (var reopened = AckedSequenceFile.Open(_dir, out _))
        {
            reopened.Write(6); // slot 0: slot 1 keeps 5
        }

        var bytes = File.ReadAllBytes(FilePath);
        Assert.Equal((6UL, 5UL), (SlotValue(bytes, 0), SlotValue(bytes, 1)));
    }

    [Fact]
    public void Write_ManyValues_EveryReopenReadsTheLatest()
    {
        for (var sequence = 1UL; sequence <= 50; sequence++)
        {
            using (var file = AckedSequenceFile.Open(_dir, out var before))
            {
                Assert.Equal(sequence - 1, before);
                file.Write(sequence);
            }
        }

        using var last = AckedSequenceFile.Open(_dir, out var stored);
        Assert.Equal(50UL, stored);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Open_SlotBeingWrittenWasTorn_FallsBackToThePreviousValue(int tornSlot)
    {
        using (var file = AckedSequenceFile.Open(_dir, out _))
        {
            file.Write(10); // slot 1
            file.Write(11); // slot 0
            if (tornSlot == 1)
            {
                file.Write(12); // slot 1
            }
        }

        Damage(tornSlot);

        using var reopened = AckedSequenceFile.Open(_dir, out var stored);
        Assert.Equal(tornSlot == 0 ? 10UL : 11UL, stored);
    }

    [Fact]
    public void Open_BothSlotsDamaged_NullThenStartsOverFromZero()
    {
        using (var file = AckedSequenceFile.Open(_dir, out _))
        {
            file.Write(10);
        }

        Damage(0);
        Damage(1);

        using (var damaged = AckedSequenceFile.Open(_dir, out var stored))
        {
            Assert.Null(stored);
        }

        using var again = AckedSequenceFile.Open(_dir, out var afterwards);
        Assert.Equal(0UL, afterwards);
    }

    [Fact]
    public void Open_FileOfAnotherLength_Damaged()
    {
        File.WriteAllBytes(FilePath, new byte[100]);

        using var file = AckedSequenceFile.Open(_dir, out var stored);

        Assert.Null(stored);
    }

    [Fact]
    public void Open_OldOneSlotFile_ConvertedKeepingItsValue()
    {
        var old = new byte[12];
        BinaryPrimitives.WriteUInt64LittleEndian(old, 1234);
        BinaryPrimitives.WriteUInt32LittleEndian(old.AsSpan(8), Crc32C.Compute(old.AsSpan(0, 8), []));
        File.WriteAllBytes(FilePath, old);
        File.WriteAllBytes(Path.Combine(_dir, "acked.tmp"), [1, 2, 3]); // an old-format write interrupted before its rename

        using (var file = AckedSequenceFile.Open(_dir, out var stored))
        {
            Assert.Equal(1234UL, stored);
            Assert.Equal(2 * SlotBytes, new FileInfo(FilePath).Length);
            file.Write(1235);
        }

        using var reopened = AckedSequenceFile.Open(_dir, out var afterwards);
        Assert.Equal(1235UL, afterwards);
        Assert.Equal(["acked"], Directory.GetFiles(_dir).Select(Path.GetFileName));
    }

    [Fact]
    public void Open_OldOneSlotFileDamaged_Null()
    {
        File.WriteAllBytes(FilePath, new byte[12]);

        using var file = AckedSequenceFile.Open(_dir, out var stored);

        Assert.Null(stored);
    }

    [Fact]
    public async Task AuditWal_DamagedAckedFile_ReplaysEverythingAndKeepsWorking()
    {
        var options = new AuditWalOptions { Path = _dir };
        var logger = Microsoft.Extensions.Logging.Abstractions.NullLogger<Silo.Federation.AuditWal.AuditWal>.Instance;
        await using (var wal = Silo.Federation.AuditWal.AuditWal.Open(options, logger))
        {
            await wal.AppendAsync(new byte[] { 1 }, TestContext.Current.CancellationToken);
            await wal.AppendAsync(new byte[] { 2 }, TestContext.Current.CancellationToken);
            await wal.AckAsync(1, TestContext.Current.CancellationToken);
        }

        Damage(0);
        Damage(1);

        await using (var reopened = Silo.Federation.AuditWal.AuditWal.Open(options, logger))
        {
            Assert.Equal(0UL, reopened.AckedSequence);
            await reopened.AckAsync(2, TestContext.Current.CancellationToken);
        }

        await using var again = Silo.Federation.AuditWal.AuditWal.Open(options, logger);
        Assert.Equal(2UL, again.AckedSequence);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static ulong SlotValue(byte[] bytes, int slot) => BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(slot * SlotBytes));

    /// <summary>What a torn write leaves: part of the slot's bytes changed, so its checksum no longer matches.</summary>
    private void Damage(int slot)
    {
        using var file = new FileStream(FilePath, FileMode.Open, FileAccess.Write);
        file.Position = (slot * SlotBytes) + 3;
        file.Write([0xde, 0xad]);
    }
}
