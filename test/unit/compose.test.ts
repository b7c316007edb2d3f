import { readFileSync } from 'node:fs'
import { describe, expect, it } from '@jest/globals'
import { startFauxqs } from 'fauxqs'
import { parse } from 'yaml'
import { loadApiConfig } from '../../containers/api/src/config.js'
import { loadWorkerConfig } from '../../containers/worker/src/config.js'
import { ROOT } from '../../scripts/lib/paths.js'
import { fauxqsInit } from '../../scripts/local/queues.js'
import { serviceVariables } from '../../containers/shared/src/service-env.js'
import { POSTGRES_MAJOR_VERSION } from '../../stacks/postgres-version.js'

/** Resolves compose's ${VAR:-default} and ${VAR-default} with no variables set, as a fresh `docker compose up` does. */
function withDefaults(value: unknown): string {
  return String(value).replace(/\$\{\w+:?-([^}]*)\}/g, '$1')
}

function serviceEnv(compose: any, service: string): Record<string, string> {
  const env = compose.services[service].environment as Record<string, unknown>
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, withDefaults(v)]))
}

describe('compose.yaml', () => {
  const compose = parse(readFileSync(`${ROOT}compose.yaml`, 'utf8'), { merge: true })

  it('gives the API and the worker every variable their configuration requires', () => {
    expect(loadApiConfig(serviceEnv(compose, 'api'))).toMatchObject({ port: 6400, sqs: { endpoint: 'http://sqs:4566' } })
    expect(loadWorkerConfig(serviceEnv(compose, 'worker'))).toMatchObject({ delaySeconds: 0, database: { url: expect.stringContaining('@database:5432/todo') } })
  })

  it('gives each service only its own settings, by the declaration both services read (service-env.ts)', () => {
    for (const service of ['api', 'worker'] as const) {
      const unknown = Object.keys(serviceEnv(compose, service)).filter((name) => !serviceVariables(service).includes(name))
      expect([service, unknown]).toEqual([service, []])
    }
  })

  it("passes WORKER_DELAY_SECONDS to the API too, whose reconciler derives the jobs' deadline from it as the worker does", () => {
    const raw = (service: string) => compose.services[service].environment.WORKER_DELAY_SECONDS
    expect(raw('api')).toBe('${WORKER_DELAY_SECONDS:-0}')
    expect(raw('worker')).toBe(raw('api'))
    expect(loadApiConfig(serviceEnv(compose, 'api')).reconciler).toEqual(loadWorkerConfig(serviceEnv(compose, 'worker')).reconciler)
  })

  it('names the ical queue by the URL the emulator gives it (fauxqs finds queues by their exact URL)', async () => {
    const emulator = await startFauxqs({ port: 0, host: compose.services.sqs.environment.FAUXQS_HOST, logger: false })
    try {
      const { queueUrl } = emulator.createQueue('ical')
      const onComposePort = queueUrl.replace(`:${emulator.port}/`, ':4566/')
      expect(serviceEnv(compose, 'api').ICAL_QUEUE_URL).toBe(onComposePort)
      expect(serviceEnv(compose, 'worker').ICAL_QUEUE_URL).toBe(onComposePort)
    } finally {
      await emulator.stop()
    }
  })

  it('runs the PostgreSQL major version that RDS, npm start and the tests run', () => {
    expect(compose.services.database.image).toBe(`postgres:${POSTGRES_MAJOR_VERSION}`)
  })

  it('uses the practical database and credentials', () => {
    expect(compose.services.database.environment).toEqual({ POSTGRES_USER: 'administrator', POSTGRES_PASSWORD: 'verySecretPassword', POSTGRES_DB: 'todo' })
  })

  it('builds from the containers workspace with each service its own Dockerfile', () => {
    expect(compose.services.api.build).toEqual({ context: 'containers', dockerfile: 'api/Dockerfile' })
    expect(compose.services.worker.build).toEqual({ context: 'containers', dockerfile: 'worker/Dockerfile' })
  })

  it("makes the emulator's queues as every other place does, from the one description (queue-shapes.ts)", () => {
    const init = JSON.parse(readFileSync(`${ROOT}compose/fauxqs-init.json`, 'utf8'))
    const expected = fauxqsInit()
    // What to write there, if the description changed.
    expect([init, 'compose/fauxqs-init.json should be', JSON.stringify(expected, null, 2)]).toEqual([expected, 'compose/fauxqs-init.json should be', JSON.stringify(expected, null, 2)])
  })
})
