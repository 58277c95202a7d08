using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace BrowserAutomation.IntegrationTests.Support;

/// <summary>
/// The s3rver that infra/services.sh starts on 127.0.0.1:BA_S3_PORT (credentials S3RVER/S3RVER); each test class makes
/// a bucket of its own with a random name.
/// </summary>
public static class S3TestServer
{
    public const string AccessKey = "S3RVER";

    public const string SecretKey = "S3RVER";

    public static int Port => int.Parse(Environment.GetEnvironmentVariable("BA_S3_PORT") ?? "4568", System.Globalization.CultureInfo.InvariantCulture);

    public static AmazonS3Client Client(int port) => new(new BasicAWSCredentials(AccessKey, SecretKey), new AmazonS3Config
    {
        ServiceURL = $"http://127.0.0.1:{port}", ForcePathStyle = true, AuthenticationRegion = "us-east-1", UseHttp = true, MaxErrorRetry = 0,
        RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
        ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
    });

    public static async Task<string> CreateBucketAsync()
    {
        var name = "ba-test-" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(6));
        using var client = Client(Port);
        try
        {
            await client.PutBucketAsync(new PutBucketRequest { BucketName = name });
        }
        catch (HttpRequestException ex)
        {
            throw new InvalidOperationException($"No s3rver on 127.0.0.1:{Port}; start it with `bash infra/services.sh start s3`.", ex);
        }

        return name;
    }

    public static async Task<IReadOnlyList<string>> KeysAsync(string bucket, string prefix)
    {
        using var client = Client(Port);
        var page = await client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Prefix = prefix });
        return [.. (page.S3Objects ?? []).Select(o => o.Key)];
    }
}
