/**
 * Turns AWS SDK failures into the one line a student can act on; undefined when unrecognised.
 * Decided by the SDK's error name (AWS's error code) and Node's system error code, never by the
 * wording of a message, which changes between versions.
 */
export function explainAwsError(err: unknown, queueName: string): { message: string; exitCode: number } | undefined {
  if (!(err instanceof Error)) return undefined
  if (err.name === 'QueueDoesNotExist' || err.name === 'AWS.SimpleQueueService.NonExistentQueue') {
    return { message: `Unable to find a Queue by this name ${queueName}`, exitCode: 3 }
  }
  if (CREDENTIAL_ERRORS.has(err.name)) {
    return {
      message:
        `AWS credentials are missing or expired (${err.message.split('\n')[0]}). ` +
        'In the Learner Lab, open "AWS Details", copy the AWS CLI credentials into ./credentials (see credentials.example) ' +
        'or ~/.aws/credentials, and run this again.',
      exitCode: 2,
    }
  }
  if (err.name === 'AccessDenied' || err.name === 'AccessDeniedException') {
    return { message: `Access denied to ${queueName}: ${err.message}`, exitCode: 2 }
  }
  if (NETWORK_ERRORS.has(String((err as { code?: unknown }).code))) {
    return { message: `Cannot reach SQS (${err.message}). Check --endpoint, --region and your network.`, exitCode: 4 }
  }
  return undefined
}

/**
 * No credentials found (the SDK's CredentialsProviderError and TokenProviderError), or AWS
 * refusing them: expired, unknown, signed wrongly or missing (the common errors of the Amazon SQS
 * API Reference, https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/CommonErrors.html,
 * in both the query protocol's spelling and the JSON protocol's).
 */
const CREDENTIAL_ERRORS = new Set([
  'CredentialsProviderError',
  'TokenProviderError',
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'SignatureDoesNotMatch',
  'InvalidAccessKeyId',
  'InvalidSignatureException',
  'IncompleteSignature',
  'MissingAuthenticationToken',
  'MissingAuthenticationTokenException',
])

/** Node's codes for an endpoint that cannot be reached: refused, no such host, no answer. */
const NETWORK_ERRORS = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT'])
