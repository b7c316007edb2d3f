/**
 * An AWS SDK error (it carries the response's $metadata) or the SDK finding no credentials: its
 * name and message say what happened; its stack is the SDK's plumbing. It imports nothing, so the
 * scripts load it from here without the rest of this package.
 */
export const isAwsError = (err: unknown): err is Error => err instanceof Error && ('$metadata' in err || err.name === 'CredentialsProviderError')
