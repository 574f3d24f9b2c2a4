using System.Text;
using System.Text.RegularExpressions;
using Conductor.Randomness;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Modes;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;

namespace Conductor.Compiler.Encryption.Sops;

/// <summary>
/// One SOPS value: <c>ENC[AES256_GCM,data:…,iv:…,tag:…,type:…]</c>, AES-256-GCM with a 32-byte IV and 16-byte tag,
/// standard padded base64, the additional data being the value's key path. The BCL's AesGcm accepts only 12-byte
/// nonces, so BouncyCastle's GCM does the work.
/// </summary>
internal static partial class SopsValueCipher
{
    public const int IvSize = 32;
    private const int TagBits = 128;

    public static string Encrypt(SopsValue value, byte[] dataKey, string additionalData, IRandomSource random)
    {
        var iv = new byte[IvSize];
        random.Fill(iv);
        var gcm = Gcm(forEncryption: true, dataKey, iv, additionalData);
        var plaintext = Encoding.UTF8.GetBytes(value.Text);
        var output = new byte[gcm.GetOutputSize(plaintext.Length)];
        var length = gcm.ProcessBytes(plaintext, 0, plaintext.Length, output, 0);
        gcm.DoFinal(output, length);
        var tagAt = output.Length - TagBits / 8;
        return $"ENC[AES256_GCM,data:{Convert.ToBase64String(output, 0, tagAt)},iv:{Convert.ToBase64String(iv)}," +
            $"tag:{Convert.ToBase64String(output, tagAt, TagBits / 8)},type:{value.Type}]";
    }

    public static bool IsEncrypted(string text) => EncryptedValue().IsMatch(text);

    /// <exception cref="SopsException">The text is not an ENC[…] value, or it fails authentication.</exception>
    public static SopsValue Decrypt(string text, byte[] dataKey, string additionalData, string where)
    {
        var match = EncryptedValue().Match(text);
        if (!match.Success)
        {
            throw new SopsException($"{where}: expected an ENC[AES256_GCM,…] value, found plaintext");
        }
        byte[] data, iv, tag;
        try
        {
            data = Convert.FromBase64String(match.Groups["data"].Value);
            iv = Convert.FromBase64String(match.Groups["iv"].Value);
            tag = Convert.FromBase64String(match.Groups["tag"].Value);
        }
        catch (FormatException e)
        {
            throw new SopsException($"{where}: the ENC[…] value has invalid base64", e);
        }
        var gcm = Gcm(forEncryption: false, dataKey, iv, additionalData);
        var input = data.Concat(tag).ToArray();
        var output = new byte[gcm.GetOutputSize(input.Length)];
        try
        {
            var length = gcm.ProcessBytes(input, 0, input.Length, output, 0);
            gcm.DoFinal(output, length);
        }
        catch (InvalidCipherTextException e)
        {
            throw new SopsException($"{where}: the value failed AES-GCM authentication; it was modified or moved to another key", e);
        }
        return new SopsValue(match.Groups["type"].Value, Encoding.UTF8.GetString(output));
    }

    private static GcmBlockCipher Gcm(bool forEncryption, byte[] key, byte[] iv, string additionalData)
    {
        var gcm = new GcmBlockCipher(AesUtilities.CreateEngine());
        gcm.Init(forEncryption, new AeadParameters(new KeyParameter(key), TagBits, iv, Encoding.UTF8.GetBytes(additionalData)));
        return gcm;
    }

    [GeneratedRegex(@"^ENC\[AES256_GCM,data:(?<data>[^,]*),iv:(?<iv>[^,]+),tag:(?<tag>[^,]+),type:(?<type>[a-z0-9]+)\]$", RegexOptions.CultureInvariant)]
    private static partial Regex EncryptedValue();
}
