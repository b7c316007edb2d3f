import { describe, expect, it } from '@jest/globals'
import { explainAwsError } from '../../containers/queue-cli/src/errors.js'
import { formatMessage, UNKNOWN_CLIENT } from '../../containers/queue-cli/src/receive.js'

function named(name: string, message = name): Error {
  return Object.assign(new Error(message), { name })
}

describe('queue demo error messages', () => {
  it('says a missing queue in the practical words', () => {
    expect(explainAwsError(named('QueueDoesNotExist'), 'csse6400_prac')).toEqual({ message: 'Unable to find a Queue by this name csse6400_prac', exitCode: 3 })
  })

  it.each(['ExpiredToken', 'InvalidClientTokenId', 'CredentialsProviderError', 'UnrecognizedClientException'])('explains %s as a credentials problem with the fix', (name) => {
    const explained = explainAwsError(named(name, 'The security token included in the request is expired'), 'q')
    expect(explained?.exitCode).toBe(2)
    expect(explained?.message).toMatch(/credentials are missing or expired.*credentials\.example/)
  })

  it('leaves unknown errors to the caller', () => {
    expect(explainAwsError(named('ThrottlingException', 'slow down'), 'q')).toBeUndefined()
  })

  it('knows an unreachable endpoint by Node\'s error code, and a credentials problem by its name, not by their wording', () => {
    expect(explainAwsError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }), 'q')?.exitCode).toBe(4)
    expect(explainAwsError(Object.assign(new Error('getaddrinfo failed'), { code: 'ENOTFOUND' }), 'q')?.exitCode).toBe(4)
    expect(explainAwsError(named('InternalFailure', 'a retried request said ECONNREFUSED'), 'q')).toBeUndefined()
    expect(explainAwsError(named('ValidationError', 'the credential scope has expired'), 'q')).toBeUndefined()
  })

  it('prints a message without a client attribute as from an unknown client', () => {
    const line = formatMessage({ Body: 'hello' }, new Date('2026-01-01T00:00:00Z'))
    expect(line).toBe(`[2026-01-01T00:00:00.000Z] ${UNKNOWN_CLIENT}: hello`)
  })
})
