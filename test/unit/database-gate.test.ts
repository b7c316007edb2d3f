import { describe, expect, it } from '@jest/globals'
import { PasswordUnavailableError } from '../../containers/shared/src/db.js'
import { DatabaseGate } from '../../containers/worker/src/database-gate.js'
import { testLogger } from '../support/system.js'

/** A database that refuses `refusals` probes with `err`, then answers. */
function database(refusals: number, err: Error) {
  let probes = 0
  return {
    probes: () => probes,
    query: async () => {
      if (++probes <= refusals) throw err
      return { rows: [] }
    },
  }
}

const withCode = (code: string) => Object.assign(new Error(code), { code })

describe("the worker's database gate", () => {
  it.each([
    ['an outage', withCode('57P01')],
    ['a refused password', withCode('28P01')],
    ['a refused login', withCode('28000')],
    ['a password that cannot be read', new PasswordUnavailableError(new Error('AccessDeniedException'))],
  ])('holds polling after %s until a probe gets through', async (_what, err) => {
    const db = database(3, err)
    const gate = new DatabaseGate(db as never, testLogger, 1)
    gate.report(err)
    await gate.waitUntilUp()
    expect(db.probes()).toBe(4)
  })

  it("lets polling go on after an error that is the job's own", async () => {
    const db = database(0, new Error('unused'))
    const gate = new DatabaseGate(db as never, testLogger, 1)
    gate.report(withCode('22021'))
    gate.report(new Error('disk on fire'))
    await gate.waitUntilUp()
    expect(db.probes()).toBe(0)
  })
})
