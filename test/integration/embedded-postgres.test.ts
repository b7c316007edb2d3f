/**
 * The embedded PostgreSQL that `npm start` and the integration tests use: one PGlite session
 * shared by every connection (scripts/lib/embedded-postgres.ts). An extended-protocol query is
 * several messages (Parse, Bind, Execute, Sync), and a multi-megabyte parameter arrives over
 * many reads: no other connection's messages may run in between, or a Bind meets another
 * client's statement.
 */
import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import pg from 'pg'
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../scripts/lib/embedded-postgres.js'

let postgres: EmbeddedPostgres

beforeAll(async () => {
  postgres = await startEmbeddedPostgres()
  const admin = new pg.Client({ connectionString: postgres.url })
  await admin.connect()
  await admin.query('CREATE TABLE blobs (client integer, n integer, body text NOT NULL, PRIMARY KEY (client, n))')
  await admin.end()
}, 60_000)
afterAll(async () => {
  await postgres?.close()
})

const md5 = (text: string) => createHash('md5').update(text).digest('hex')
/** Text of `megabytes` MB that differs for every client and step, so a row in the wrong place shows. */
const body = (client: number, n: number, megabytes: number) => `${client}:${n}:`.padEnd(megabytes * 1_048_576, String.fromCharCode(97 + ((client * 7 + n) % 26)))

/** One client's work: big inserts, reads of a big value back, and small statements of other shapes in between. */
async function clientWork(client: number, steps: number): Promise<string[]> {
  const wrong: string[] = []
  const connection = new pg.Client({ connectionString: postgres.url })
  await connection.connect()
  try {
    for (let n = 0; n < steps; n++) {
      const text = body(client, n, 1 + ((client + n) % 3))
      const inserted = await connection.query('INSERT INTO blobs (client, n, body) VALUES ($1, $2, $3) RETURNING client, n, md5(body) AS digest', [client, n, text])
      if (JSON.stringify(inserted.rows) !== JSON.stringify([{ client, n, digest: md5(text) }])) wrong.push(`insert ${client}/${n}: ${JSON.stringify(inserted.rows)}`)

      const six = await connection.query('SELECT $1::int AS a, $2::text AS b, $3::int AS c, $4::text AS d, $5::int AS e, $6::text AS f', [client, `b${n}`, n, `d${client}`, client * 1000 + n, 'f'])
      const expected = { a: client, b: `b${n}`, c: n, d: `d${client}`, e: client * 1000 + n, f: 'f' }
      if (JSON.stringify(six.rows) !== JSON.stringify([expected])) wrong.push(`six ${client}/${n}: ${JSON.stringify(six.rows)}`)

      const one = await connection.query('SELECT md5($1) AS digest', [text])
      if (one.rows[0]?.digest !== md5(text)) wrong.push(`one ${client}/${n}: ${JSON.stringify(one.rows)}`)

      const back = await connection.query<{ body: string }>('SELECT body FROM blobs WHERE client = $1 AND n = $2', [client, n])
      if (back.rows.length !== 1 || back.rows[0]!.body !== text) wrong.push(`read ${client}/${n}: ${back.rows.length} rows, ${back.rows[0]?.body.slice(0, 20)}`)
    }
  } finally {
    await connection.end()
  }
  return wrong
}

describe('the embedded PostgreSQL', () => {
  it('serves concurrent clients sending multi-megabyte parameters and statements of other shapes: no error, no wrong row', async () => {
    const CLIENTS = 6
    const STEPS = 4
    const outcomes = await Promise.allSettled(Array.from({ length: CLIENTS }, (_, client) => clientWork(client, STEPS)))
    const errors = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [String(outcome.reason)] : []))
    const wrong = outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' ? outcome.value : []))
    expect({ errors, wrong }).toEqual({ errors: [], wrong: [] })

    const check = new pg.Client({ connectionString: postgres.url })
    await check.connect()
    try {
      // Every body in one answer of some 50 MB, which the client reads more slowly than PGlite writes it.
      const all = await check.query<{ client: number; n: number; body: string }>('SELECT client, n, body FROM blobs ORDER BY client, n')
      const rows = all.rows.map(({ client, n, body }) => ({ client, n, digest: md5(body) }))
      const expected = Array.from({ length: CLIENTS * STEPS }, (_, i) => {
        const [client, n] = [Math.floor(i / STEPS), i % STEPS]
        return { client, n, digest: md5(body(client, n, 1 + ((client + n) % 3))) }
      })
      expect(rows).toEqual(expected)
    } finally {
      await check.end()
    }
  }, 120_000)
})
