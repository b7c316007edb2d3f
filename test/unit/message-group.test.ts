import { describe, expect, it } from '@jest/globals'
import { messageGroupId } from '../../containers/queue-cli/src/send.js'

const VALID = /^[A-Za-z0-9!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]{1,128}$/

describe('the FIFO message group of a publisher', () => {
  it('is the client name where SQS allows it', () => {
    expect(['default', 'Client-1', 'a.b@c', 'x'.repeat(128)].map(messageGroupId)).toEqual(['default', 'Client-1', 'a.b@c', 'x'.repeat(128)])
  })

  it.each(['Client 1', 'Zoë', '', '日本', 'x'.repeat(129), 'tab\there'])('is valid for %j', (name) => {
    expect(messageGroupId(name)).toMatch(VALID)
  })

  it('keeps publishers apart whose names differ only where SQS does not allow it', () => {
    expect(messageGroupId('Client 1')).toMatch(/^Client_1-[0-9a-f]{8}$/)
    expect(new Set(['Client 1', 'Client_1', 'Client\t1'].map(messageGroupId)).size).toBe(3)
    expect(messageGroupId('Client 1')).toBe(messageGroupId('Client 1'))
  })
})
