namespace BrowserAutomation.Persistence.Artifacts;

/// <summary>
/// A seekable read-only stream of known length whose bytes are fetched one bounded chunk at a time from wherever they
/// live (a bytea column, an S3 object by Range), so serving a download or a Range of it never holds the whole artifact.
/// </summary>
public sealed class ChunkedReadStream(long length, int chunkSize, Func<long, int, CancellationToken, Task<byte[]>> fetch) : Stream
{
    private byte[] _chunk = [];
    private long _chunkStart = -1;
    private long _position;

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => length;

    public override long Position
    {
        get => _position;
        set => _position = Math.Clamp(value, 0, length);
    }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_position >= length || buffer.Length == 0)
        {
            return 0;
        }

        if (_chunkStart < 0 || _position < _chunkStart || _position >= _chunkStart + _chunk.Length)
        {
            var size = (int)Math.Min(chunkSize, length - _position);
            _chunk = await fetch(_position, size, cancellationToken);
            _chunkStart = _position;
            if (_chunk.Length == 0)
            {
                throw new IOException($"The artifact ended at byte {_position} of {length}.");
            }
        }

        var available = (int)(_chunkStart + _chunk.Length - _position);
        var n = Math.Min(available, buffer.Length);
        _chunk.AsMemory((int)(_position - _chunkStart), n).CopyTo(buffer);
        _position += n;
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override long Seek(long offset, SeekOrigin origin)
    {
        Position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            _ => length + offset,
        };
        return _position;
    }

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
