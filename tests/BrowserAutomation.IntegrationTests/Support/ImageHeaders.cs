using System.Buffers.Binary;

namespace BrowserAutomation.IntegrationTests.Support;

internal static class ImageHeaders
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Checks the PNG signature and reads the size from the IHDR chunk, which must come first.</summary>
    public static (int Width, int Height) PngSize(ReadOnlyMemory<byte> data)
    {
        var bytes = data.Span;
        Assert.True(bytes.Length > 24, "too short for a PNG");
        Assert.True(bytes[..8].SequenceEqual(PngSignature), "no PNG signature");
        Assert.Equal(13, BinaryPrimitives.ReadInt32BigEndian(bytes[8..12]));
        Assert.Equal("IHDR"u8.ToArray(), bytes[12..16].ToArray());
        return (BinaryPrimitives.ReadInt32BigEndian(bytes[16..20]), BinaryPrimitives.ReadInt32BigEndian(bytes[20..24]));
    }

    /// <summary>
    /// The alpha of the top-left pixel of an 8-bit RGBA PNG (255 for a PNG without alpha). Whatever a scanline's filter,
    /// the first pixel of the first row is stored as is, so inflating the image data is all it takes.
    /// </summary>
    public static int PngTopLeftAlpha(ReadOnlyMemory<byte> data)
    {
        var bytes = data.ToArray();
        PngSize(data);
        var bitDepth = bytes[24];
        var colorType = bytes[25];
        if (colorType != 6)
        {
            return 255;
        }

        Assert.Equal(8, bitDepth);
        using var idat = new MemoryStream();
        for (var offset = 8; offset + 8 <= bytes.Length;)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(offset));
            if (bytes.AsSpan(offset + 4, 4).SequenceEqual("IDAT"u8))
            {
                idat.Write(bytes, offset + 8, length);
            }

            offset += 12 + length;
        }

        idat.Position = 0;
        using var zlib = new System.IO.Compression.ZLibStream(idat, System.IO.Compression.CompressionMode.Decompress);
        var firstPixel = new byte[5];
        zlib.ReadExactly(firstPixel);
        return firstPixel[4];
    }

    public static bool IsJpeg(ReadOnlyMemory<byte> data) => data.Span is [0xFF, 0xD8, 0xFF, ..];

    /// <summary>Walks the JPEG markers to the first start-of-frame and reads the size from it.</summary>
    public static (int Width, int Height) JpegSize(ReadOnlyMemory<byte> data)
    {
        var bytes = data.Span;
        Assert.True(IsJpeg(data), "no JPEG signature");
        var offset = 2;
        while (offset + 9 < bytes.Length)
        {
            Assert.Equal(0xFF, bytes[offset]);
            var marker = bytes[offset + 1];
            int length = BinaryPrimitives.ReadUInt16BigEndian(bytes[(offset + 2)..]);
            // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC).
            if (marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC)
            {
                return (BinaryPrimitives.ReadUInt16BigEndian(bytes[(offset + 7)..]), BinaryPrimitives.ReadUInt16BigEndian(bytes[(offset + 5)..]));
            }

            offset += 2 + length;
        }

        Assert.Fail("no start-of-frame marker in the JPEG");
        return default;
    }
}
