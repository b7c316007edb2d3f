import { describe, expect, it } from '@jest/globals'
import { decodeJobMessage, encodeJobMessage } from '@taskoverflow/shared'
import { InvalidJobMessageError } from '../../containers/shared/src/job-message.js'

describe('job messages', () => {
  const id = '7f1f2e1c-3b4a-4c5d-8e9f-0a1b2c3d4e5f'

  it('round-trips and stays tiny, whatever the size of the calendar', () => {
    const body = encodeJobMessage(id)
    expect(decodeJobMessage(body)).toEqual({ type: 'ical.export', jobId: id })
    expect(Buffer.byteLength(body)).toBeLessThan(100)
  })

  it.each([undefined, '', 'not json', '[]', '{"type":"ical.export"}', `{"type":"other","jobId":"${id}"}`, `{"type":"ical.export","jobId":"${id}","todos":[]}`])(
    'refuses %j with a reason',
    (body) => {
      expect(() => decodeJobMessage(body)).toThrow(InvalidJobMessageError)
    },
  )
})
