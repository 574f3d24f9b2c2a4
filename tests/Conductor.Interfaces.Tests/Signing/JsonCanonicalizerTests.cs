using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Conductor.Signing;

namespace Conductor.Interfaces.Tests.Signing;

// The vectors are RFC 8785's published examples (§3.2.2, §3.2.3, §3.2.4 and Appendix B). Each was also checked against
// Node's JSON.stringify, the ECMAScript behaviour the RFC is defined by.
public sealed class JsonCanonicalizerTests
{
    // RFC 8785 §3.2.2 input, with its JSON escapes exactly as printed in the RFC.
    private const string Rfc8785Example =
        """
        {
          "numbers": [333333333.33333329, 1E30, 4.50,
                      2e-3, 0.000000000000000000000000001],
          "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
          "literals": [null, true, false]
        }
        """;

    // RFC 8785 §3.2.4: the UTF-8 bytes of the canonical form of the §3.2.2 example, as the RFC prints them.
    private const string Rfc8785ExampleUtf8Hex =
        "7b 22 6c 69 74 65 72 61 6c 73 22 3a 5b 6e 75 6c 6c 2c 74 72 75 65 2c " +
        "66 61 6c 73 65 5d 2c 22 6e 75 6d 62 65 72 73 22 3a 5b 33 33 33 33 33 " +
        "33 33 33 33 2e 33 33 33 33 33 33 33 2c 31 65 2b 33 30 2c 34 2e 35 2c " +
        "30 2e 30 30 32 2c 31 65 2d 32 37 5d 2c 22 73 74 72 69 6e 67 22 3a 22 " +
        "e2 82 ac 24 5c 75 30 30 30 66 5c 6e 41 27 42 5c 22 5c 5c 5c 5c 5c 22 " +
        "2f 22 7d";

    [Fact]
    public void Canonicalize_Rfc8785Example_ProducesPublishedUtf8Bytes()
    {
        var canonical = JsonCanonicalizer.Canonicalize(Encoding.UTF8.GetBytes(Rfc8785Example));

        Assert.Equal(Rfc8785ExampleUtf8Hex.Replace(" ", "", StringComparison.Ordinal), Convert.ToHexStringLower(canonical));
        Assert.Equal(
            """{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}""",
            Encoding.UTF8.GetString(canonical));
    }

    [Fact]
    public void Canonicalize_Rfc8785SortingExample_OrdersByUtf16CodeUnits()
    {
        // RFC 8785 §3.2.3 input.
        const string input =
            """
            {
              "\u20ac": "Euro Sign",
              "\r": "Carriage Return",
              "\ufb33": "Hebrew Letter Dalet With Dagesh",
              "1": "One",
              "\ud83d\ude00": "Emoji: Grinning Face",
              "\u0080": "Control",
              "\u00f6": "Latin Small Letter O With Diaeresis"
            }
            """;

        var canonical = Encoding.UTF8.GetString(JsonCanonicalizer.Canonicalize(Encoding.UTF8.GetBytes(input)));

        const string expected =
            "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\"," +
            "\"\u00f6\":\"Latin Small Letter O With Diaeresis\",\"\u20ac\":\"Euro Sign\"," +
            "\"\ud83d\ude00\":\"Emoji: Grinning Face\",\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\"}";
        Assert.Equal(expected, canonical);
    }

    // RFC 8785 Appendix B: IEEE 754 bit pattern and the canonical text.
    [Theory]
    [InlineData("0000000000000000", "0")]
    [InlineData("8000000000000000", "0")]
    [InlineData("0000000000000001", "5e-324")]
    [InlineData("8000000000000001", "-5e-324")]
    [InlineData("7fefffffffffffff", "1.7976931348623157e+308")]
    [InlineData("ffefffffffffffff", "-1.7976931348623157e+308")]
    [InlineData("4340000000000000", "9007199254740992")]
    [InlineData("c340000000000000", "-9007199254740992")]
    [InlineData("4430000000000000", "295147905179352830000")]
    [InlineData("44b52d02c7e14af5", "9.999999999999997e+22")]
    [InlineData("44b52d02c7e14af6", "1e+23")]
    [InlineData("44b52d02c7e14af7", "1.0000000000000001e+23")]
    [InlineData("444b1ae4d6e2ef4e", "999999999999999700000")]
    [InlineData("444b1ae4d6e2ef4f", "999999999999999900000")]
    [InlineData("444b1ae4d6e2ef50", "1e+21")]
    [InlineData("3eb0c6f7a0b5ed8c", "9.999999999999997e-7")]
    [InlineData("3eb0c6f7a0b5ed8d", "0.000001")]
    [InlineData("41b3de4355555553", "333333333.3333332")]
    [InlineData("41b3de4355555554", "333333333.33333325")]
    [InlineData("41b3de4355555555", "333333333.3333333")]
    [InlineData("41b3de4355555556", "333333333.3333334")]
    [InlineData("41b3de4355555557", "333333333.33333343")]
    [InlineData("becbf647612f3696", "-0.0000033333333333333333")]
    [InlineData("43143ff3c1cb0959", "1424953923781206.2")]
    public void Canonicalize_Rfc8785AppendixBNumber_MatchesPublishedText(string ieeeHex, string expected)
    {
        var value = BitConverter.Int64BitsToDouble(long.Parse(ieeeHex, NumberStyles.HexNumber, CultureInfo.InvariantCulture));

        Assert.Equal(expected, Encoding.UTF8.GetString(JsonCanonicalizer.Canonicalize(JsonValue.Create(value))));
        // The same value read back from its own canonical text is a fixed point.
        Assert.Equal(expected, Encoding.UTF8.GetString(JsonCanonicalizer.Canonicalize(Encoding.UTF8.GetBytes(expected))));
    }

    [Theory]
    [InlineData("7fffffffffffffff")] // NaN, listed in Appendix B as having no JSON form
    [InlineData("7ff0000000000000")] // Infinity
    [InlineData("fff0000000000000")] // -Infinity
    public void Canonicalize_NonFiniteNumber_Throws(string ieeeHex)
    {
        var value = BitConverter.Int64BitsToDouble(long.Parse(ieeeHex, NumberStyles.HexNumber, CultureInfo.InvariantCulture));

        var error = Assert.Throws<JsonCanonicalizationException>(
            () => JsonCanonicalizer.Canonicalize(new JsonObject { ["spec"] = new JsonObject { ["ratio"] = value } }));

        Assert.Equal("$.spec.ratio", error.Path);
    }

    [Theory]
    [InlineData("1e21", "1e+21")]
    [InlineData("1e-7", "1e-7")]
    [InlineData("0.000001", "0.000001")]
    [InlineData("-0", "0")]
    [InlineData("-0.0", "0")]
    [InlineData("333333333.33333329", "333333333.3333333")]
    [InlineData("1E30", "1e+30")]
    [InlineData("4.50", "4.5")]
    [InlineData("2e-3", "0.002")]
    [InlineData("0.000000000000000000000000001", "1e-27")]
    [InlineData("100", "100")]
    [InlineData("1e20", "100000000000000000000")]
    [InlineData("123e-20", "1.23e-18")]
    [InlineData("-1.5e300", "-1.5e+300")]
    [InlineData("9007199254740993", "9007199254740992")]
    public void Canonicalize_NumberText_UsesEcmaScriptForm(string input, string expected) =>
        Assert.Equal(expected, Encoding.UTF8.GetString(JsonCanonicalizer.Canonicalize(Encoding.UTF8.GetBytes(input))));

    [Fact]
    public void Canonicalize_NumberBeyondDoubleRange_ThrowsNamingValue()
    {
        var error = Assert.Throws<JsonCanonicalizationException>(
            () => JsonCanonicalizer.Canonicalize("""{"a":[1,1e400]}"""u8));

        Assert.Equal("$.a[1]", error.Path);
        Assert.Contains("1e400", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Canonicalize_NodeJsSample_MatchesEveryRecordedSerialization()
    {
        // 4000 random doubles serialized by Node's JSON.stringify (see testdata/es6-numbers.mjs).
        var path = Path.Combine(AppContext.BaseDirectory, "Signing", "testdata", "es6-numbers.txt");
        var failures = new List<string>();
        var checkedCount = 0;
        foreach (var line in File.ReadLines(path))
        {
            if (line.StartsWith('#'))
            {
                continue;
            }
            var parts = line.Split(' ');
            var value = BitConverter.Int64BitsToDouble(
                unchecked((long)ulong.Parse(parts[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture)));
            var actual = Encoding.UTF8.GetString(JsonCanonicalizer.Canonicalize(JsonValue.Create(value)));
            if (actual != parts[1])
            {
                failures.Add($"{parts[0]}: expected {parts[1]}, got {actual}");
            }
            checkedCount++;
        }

        Assert.True(checkedCount > 3900, $"only {checkedCount} samples read from {path}");
        Assert.Empty(failures);
    }

    [Fact]
    public void Canonicalize_ControlAndSpecialCharacters_EscapesOnlyWhatJsonRequires()
    {
        var node = JsonValue.Create("\u0000\u0001\u001f\b\t\n\f\r\"\\/\u007f<>&'é€😀\u2028");

        var canonical = Encoding.UTF8.GetString(JsonCanonicalizer.Canonicalize(node));

        Assert.Equal("\"\\u0000\\u0001\\u001f\\b\\t\\n\\f\\r\\\"\\\\/\u007f<>&'é€😀\u2028\"", canonical);
    }

    [Fact]
    public void Canonicalize_LoneSurrogate_ThrowsNamingValue()
    {
        var error = Assert.Throws<JsonCanonicalizationException>(
            () => JsonCanonicalizer.Canonicalize(new JsonObject { ["spec"] = new JsonObject { ["name"] = "a\ud800b" } }));

        Assert.Equal("$.spec.name", error.Path);
        Assert.Contains("U+D800", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Canonicalize_DuplicatePropertyName_Throws()
    {
        var error = Assert.Throws<JsonCanonicalizationException>(
            () => JsonCanonicalizer.Canonicalize("""{"spec":{"b":1,"a":2,"b":3}}"""u8));

        Assert.Equal("$.spec.b", error.Path);
        Assert.Contains("duplicate", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Canonicalize_NestedStructures_SortsEveryLevelAndKeepsArrayOrder()
    {
        var canonical = JsonCanonicalizer.Canonicalize(
            """ { "z": { "z": 1, "a": [ {"y": 2, "b": 1}, 3 ] }, "a": {}, "m": [] } """u8);

        Assert.Equal("""{"a":{},"m":[],"z":{"a":[{"b":1,"y":2},3],"z":1}}""", Encoding.UTF8.GetString(canonical));
    }

    [Fact]
    public void Canonicalize_NodeBuiltFromClrValues_EqualsParsedText()
    {
        var built = new JsonObject
        {
            ["count"] = 3,
            ["big"] = 1234567890123L,
            ["price"] = 4.50m,
            ["ratio"] = 0.1f,
            ["flag"] = true,
            ["letter"] = 'x',
            ["none"] = null,
            ["items"] = new JsonArray("b", 2.0, JsonNode.Parse("""{"k":"v"}""")),
        };
        const string text =
            """{"count":3,"big":1234567890123,"price":4.5,"ratio":0.1,"flag":true,"letter":"x","none":null,"items":["b",2,{"k":"v"}]}""";

        var fromNode = JsonCanonicalizer.Canonicalize(built);
        var fromText = JsonCanonicalizer.Canonicalize(Encoding.UTF8.GetBytes(text));

        Assert.Equal(Encoding.UTF8.GetString(fromText), Encoding.UTF8.GetString(fromNode));
        using var document = JsonDocument.Parse(text);
        Assert.Equal(fromText, JsonCanonicalizer.Canonicalize(document.RootElement));
    }

    [Fact]
    public void Canonicalize_ExcessiveNesting_Throws()
    {
        JsonNode node = new JsonArray();
        for (var i = 0; i < JsonCanonicalizer.MaxDepth + 5; i++)
        {
            node = new JsonArray(node);
        }

        Assert.Throws<JsonCanonicalizationException>(() => JsonCanonicalizer.Canonicalize(node));
    }
}
