/** Turns AWS SDK failures into the one line a student can act on; undefined when unrecognised. */
export function explainAwsError(err: unknown, queueName: string): { message: string; exitCode: number } | undefined {
  if (!(err instanceof Error)) return undefined
  if (err.name === 'QueueDoesNotExist' || err.name === 'AWS.SimpleQueueService.NonExistentQueue') {
    return { message: `Unable to find a Queue by this name ${queueName}`, exitCode: 3 }
  }
  if (CREDENTIAL_ERRORS.has(err.name) || /credential|security token|expired/i.test(err.message)) {
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
  if (/ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT/.test(`${(err as { code?: string }).code ?? ''} ${err.message}`)) {
    return { message: `Cannot reach SQS (${err.message}). Check --endpoint, --region and your network.`, exitCode: 4 }
  }
  return undefined
}

const CREDENTIAL_ERRORS = new Set([
  'CredentialsProviderError',
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'SignatureDoesNotMatch',
  'InvalidAccessKeyId',
  'InvalidSignatureException',
])
