using System.Buffers.Binary;

namespace BrowserAutomation.IntegrationTests.Automation;

internal static class ImageHeaders
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Checks the PNG signature and reads the size from the IHDR chunk, which must come first.</summary>
    public static (int Width, int Height) PngSize(ReadOnlyMemory<byte> data)
    {
        ReadOnlySpan<byte> bytes = data.Span;
        Assert.True(bytes.Length > 24, "too short for a PNG");
        Assert.True(bytes[..8].SequenceEqual(PngSignature), "no PNG signature");
        Assert.Equal(13, BinaryPrimitives.ReadInt32BigEndian(bytes[8..12]));
        Assert.Equal("IHDR"u8.ToArray(), bytes[12..16].ToArray());
        return (BinaryPrimitives.ReadInt32BigEndian(bytes[16..20]), BinaryPrimitives.ReadInt32BigEndian(bytes[20..24]));
    }

    public static bool IsJpeg(ReadOnlyMemory<byte> data) => data.Span is [0xFF, 0xD8, 0xFF, ..];
}
