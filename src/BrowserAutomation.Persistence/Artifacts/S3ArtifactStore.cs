using System.Net;
using System.Runtime.CompilerServices;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using BrowserAutomation.Persistence.Entities;

namespace BrowserAutomation.Persistence.Artifacts;

/// <summary>
/// Bytes as objects in an S3-compatible bucket (AWSSDK.S3). Reads are ranged GETs of 1 MiB, so the API holds at most
/// one chunk per download; downloads may instead be redirected to a pre-signed URL (ARTIFACT_DOWNLOAD_REDIRECT).
/// </summary>
public sealed class S3ArtifactStore : IArtifactStore, IDisposable
{
    private const int ChunkSize = 1024 * 1024;

    private readonly AmazonS3Client _client;
    private readonly string _bucket;
    private readonly Protocol _protocol;

    public S3ArtifactStore(ArtifactStorageOptions options)
    {
        _bucket = options.S3Bucket!;
        _protocol = options.S3Endpoint?.StartsWith("http:", StringComparison.OrdinalIgnoreCase) == true ? Protocol.HTTP : Protocol.HTTPS;
        var config = new AmazonS3Config
        {
            ForcePathStyle = options.S3ForcePathStyle,
            AuthenticationRegion = options.S3Region,
            Timeout = TimeSpan.FromSeconds(30),
            MaxErrorRetry = 2,
            // S3-compatible servers differ on the newer default checksums; ask for them only where required.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (string.IsNullOrWhiteSpace(options.S3Endpoint))
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(options.S3Region);
        }
        else
        {
            config.ServiceURL = options.S3Endpoint;
            config.UseHttp = options.S3Endpoint.StartsWith("http:", StringComparison.OrdinalIgnoreCase);
        }

        _client = new AmazonS3Client(new BasicAWSCredentials(options.S3AccessKeyId, options.S3SecretAccessKey), config);
    }

    public string Type => ArtifactStorageTypes.S3;

    public bool IsExternal => true;

    public async Task PutAsync(string key, ReadOnlyMemory<byte> data, string contentType, CancellationToken cancellationToken)
    {
        using var body = new MemoryStream(data.ToArray(), writable: false);
        await _client.PutObjectAsync(new PutObjectRequest
        {
            BucketName = _bucket, Key = key, InputStream = body, ContentType = contentType, AutoCloseStream = false,
            // A plain signed body: aws-chunked uploads are not understood by every S3-compatible server.
            UseChunkEncoding = false,
        }, cancellationToken);
    }

    public Task<Stream> OpenReadAsync(JobArtifact artifact, CancellationToken cancellationToken) =>
        Task.FromResult<Stream>(new ChunkedReadStream(artifact.SizeBytes, ChunkSize, (offset, count, ct) => ReadChunkAsync(artifact.StorageKey!, offset, count, ct)));

    public async Task DeleteAsync(string key, CancellationToken cancellationToken) =>
        await _client.DeleteObjectAsync(new DeleteObjectRequest { BucketName = _bucket, Key = key }, cancellationToken);

    public async Task CheckAsync(CancellationToken cancellationToken) =>
        await _client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = _bucket, MaxKeys = 1 }, cancellationToken);

    public async IAsyncEnumerable<string> ListOlderThanAsync(DateTime olderThan, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var request = new ListObjectsV2Request { BucketName = _bucket, Prefix = "jobs/", MaxKeys = 1000 };
        while (true)
        {
            var page = await _client.ListObjectsV2Async(request, cancellationToken);
            foreach (var entry in page.S3Objects ?? [])
            {
                if (entry.LastModified is { } modified && modified.ToUniversalTime() < olderThan)
                {
                    yield return entry.Key;
                }
            }

            if (page.IsTruncated != true)
            {
                yield break;
            }

            request.ContinuationToken = page.NextContinuationToken;
        }
    }

    public Uri? PresignDownload(JobArtifact artifact, TimeSpan lifetime) => new(_client.GetPreSignedURL(new GetPreSignedUrlRequest
    {
        BucketName = _bucket,
        Key = artifact.StorageKey,
        Verb = HttpVerb.GET,
        Protocol = _protocol,
        Expires = DateTime.UtcNow.Add(lifetime),
        ResponseHeaderOverrides = { ContentType = artifact.MimeType, ContentDisposition = $"inline; filename=\"{artifact.FileName}\"" },
    }));

    public void Dispose() => _client.Dispose();

    private async Task<byte[]> ReadChunkAsync(string key, long offset, int count, CancellationToken cancellationToken)
    {
        using var response = await _client.GetObjectAsync(new GetObjectRequest
        {
            BucketName = _bucket, Key = key, ByteRange = new ByteRange(offset, offset + count - 1),
        }, cancellationToken);
        if (response.HttpStatusCode is not (HttpStatusCode.OK or HttpStatusCode.PartialContent))
        {
            throw new IOException($"S3 answered {(int)response.HttpStatusCode} reading {key}.");
        }

        var buffer = new byte[count];
        var read = 0;
        while (read < count)
        {
            var n = await response.ResponseStream.ReadAsync(buffer.AsMemory(read), cancellationToken);
            if (n == 0)
            {
                break;
            }

            read += n;
        }

        return read == count ? buffer : buffer[..read];
    }
}
