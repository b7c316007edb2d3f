import { spawn } from 'node:child_process'
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { once } from 'node:events'
import { createServer as createHttpServer } from 'node:http'
import { createServer, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from '@jest/globals'
import { ROOT } from '../../scripts/lib/paths.js'
import { freePort } from '../../scripts/local/ports.js'

/** npm from this process's npm when there is one, as `npm run` sets npm_execpath; else the PATH's. */
const npm = process.env.npm_execpath ? [process.execPath, process.env.npm_execpath] : ['npm']

/** Settings this test must not inherit from the shell that runs it. */
const CLEARED = ['AWS_CONFIG_FILE', 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', 'AWS_CONTAINER_CREDENTIALS_FULL_URI', 'DATABASE_URL', 'ICAL_QUEUE_URL', 'SQS_ENDPOINT', 'AWS_ENDPOINT_URL_SQS', 'AWS_ENDPOINT_URL', 'PORT', 'AWS_REGION', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_SHARED_CREDENTIALS_FILE', 'TASKOVERFLOW_CREDENTIALS_FILE']

/** Runs a command as a user would, with `env` added; resolves to its exit code and all it printed. */
const run = (command: string[], env: Record<string, string>) => runIn(ROOT, command, env)

function runIn(cwd: string, command: string[], env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !CLEARED.includes(name)))
  const child = spawn(command[0]!, command.slice(1), { cwd, env: { ...inherited, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout.on('data', (chunk) => (output += chunk))
  child.stderr.on('data', (chunk) => (output += chunk))
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, output })))
}

const service = (name: 'api' | 'worker') => [process.execPath, '--import', 'tsx', `containers/${name}/src/${name === 'api' ? 'server' : 'main'}.ts`]

describe('a wrong setting, at every entry point', () => {
  it.each([
    [
      'npm start',
      [...npm, 'start'],
      // Its own variables, the services' it passes on, and slips of either's name, in one message.
      { WORKER_DELAY_SECONDS: '-1', PORT: 'abc', SQS_WAIT_TIME_SECONDS: '99', EXPORTS_PER_MINUTE: 'lots', WORKER_DELAY: '20', PGLITE_PORT: '5433' },
      [
        'PORT: expected a whole number',
        'WORKER_DELAY_SECONDS: expected a whole number',
        'SQS_WAIT_TIME_SECONDS: expected a whole number',
        'EXPORTS_PER_MINUTE: expected a whole number',
        'WORKER_DELAY is not a setting; did you mean WORKER_DELAY_SECONDS?',
        'PGLITE_PORT is now POSTGRES_PORT',
      ],
    ],
    [
      'the worker, given a slip of a name',
      service('worker'),
      { DATABASE_URL: 'postgres://db/todo', ICAL_QUEUE_URL: 'http://localhost/1/ical', JOB_DEADLINE: '100' },
      ['JOB_DEADLINE is not a setting; did you mean JOB_DEADLINE_SECONDS?'],
    ],
    [
      'the API',
      service('api'),
      { PORT: 'abc', EXPORTS_PER_MINUTE: 'lots', DATABASE_PASSWORD: 'secret', DATABASE_PASSWORD_FILE: '/run/secrets/db' },
      ['DATABASE_URL: is required', 'ICAL_QUEUE_URL: is required', 'PORT: expected', 'EXPORTS_PER_MINUTE: expected', 'DATABASE_PASSWORD and DATABASE_PASSWORD_FILE: give the password one way only'],
    ],
    [
      'the worker',
      service('worker'),
      { DATABASE_URL: 'mysql://db/todo', ICAL_QUEUE_URL: 'sqs', SQS_WAIT_TIME_SECONDS: '99', DATABASE_PASSWORD: 'secret', DATABASE_PASSWORD_FILE: '/run/secrets/db' },
      ['DATABASE_URL: expected', 'ICAL_QUEUE_URL: expected', 'SQS_WAIT_TIME_SECONDS: expected', 'DATABASE_PASSWORD and DATABASE_PASSWORD_FILE: give the password one way only'],
    ],
    [
      'the queue CLI',
      [...npm, 'run', 'queue', '--', '--name', 'csse6400_prac', '--client-name', 'Client 1', '--count', 'abc', '--wait-time', '99', '--region', 'Sydney'],
      { SQS_ENDPOINT: 'localhost:4566', AWS_ENDPOINT_URL: 'also wrong' },
      ['--count: expected', '--wait-time: expected', '--region: expected', 'SQS_ENDPOINT: expected', 'AWS_ENDPOINT_URL: expected'],
    ],
    ...(['synth', 'deploy', 'destroy'] as const).map((script) => [
      `npm run ${script}`,
      [...npm, 'run', script],
      { TASKOVERFLOW_API_TASKS: 'abc', TASKOVERFLOW_WORKER_MIN_TASKS: 'one', TASKOVERFLOW_NAME: 'Task Overflow' },
      ['TASKOVERFLOW_API_TASKS must be a whole number', 'TASKOVERFLOW_WORKER_MIN_TASKS must be a whole number', 'TASKOVERFLOW_NAME must be'],
    ]),
    ['the smoke test', [...npm, 'run', 'smoke', '--', 'localhost:6400', '--timeout', 'soon'], {}, ['URL: expected', '--timeout: expected']],
    ['the emulator', [...npm, 'run', 'emulator'], { SQS_PORT: 'abc', JOB_MAX_RECEIVES: '0' }, ['SQS_PORT: expected', 'JOB_MAX_RECEIVES: expected']],
    [
      'the emulator, given slips of names',
      [...npm, 'run', 'emulator'],
      { SQS_PRT: '14613', JOB_MAX_RECEIVE: '3', MAX_ATTEMPTS: '3' },
      ['SQS_PRT is not a setting; did you mean SQS_PORT?', 'JOB_MAX_RECEIVE is not a setting; did you mean JOB_MAX_RECEIVES?', 'MAX_ATTEMPTS is now JOB_MAX_RECEIVES'],
    ],
    [
      'the queue CLI, given a slip of the endpoint\'s name',
      [...npm, 'run', 'queue', '--', '--name', 'csse6400_prac', '--client-name', 'Client 1'],
      { SQS_ENDPONT: 'http://localhost:4566' },
      ['SQS_ENDPONT is not a setting; the endpoint is --endpoint, SQS_ENDPOINT, AWS_ENDPOINT_URL_SQS or AWS_ENDPOINT_URL'],
    ],
  ] as Array<[string, string[], Record<string, string>, string[]]>)('%s: one message naming each, no stack trace', async (_what, command, env, problems) => {
    const { code, output } = await run(command, env)
    expect(code).not.toBe(0)
    for (const problem of problems) expect(output).toContain(problem)
    expect(output).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m)
    // Each named once, and nothing else: one message, not one per part that read it, and no rule
    // that only a wrong value seemed to break.
    for (const problem of problems) expect(output.split(problem)).toHaveLength(2)
    expect(output.split('\n').filter((line) => line.startsWith('  - '))).toHaveLength(problems.length)
  })
})

describe('the slips a newcomer makes, each answered in one clear line', () => {
  it('npm run queue with its flags before --, which npm takes for itself', async () => {
    const { code, output } = await run([...npm, 'run', 'queue', '--name', 'csse6400_prac', '--client-name', 'Client 1', '--receive'], {})
    expect(output).toContain('npm took the flags for itself: put -- after the script name, as in\n  npm run queue -- --name csse6400_prac --client-name "Client 1" --receive\n')
    expect(code).toBe(2)
  })

  it('npm run deploy -- --help: the usage, the stacks and the settings, deploying nothing', async () => {
    const { code, output } = await run([...npm, 'run', 'deploy', '--', '--help'], {})
    expect(output).toContain('npm run deploy [-- STACK...]: deploys every stack in order, or only those named, of\n  queue-playground, taskoverflow-core, taskoverflow-images, taskoverflow-services')
    expect(output).toMatch(/listed in docs\/configuration.md:\n {2}AWS_REGION, TASKOVERFLOW_IAM_MODE, .*TASKOVERFLOW_WORKER_DELAY_SECONDS/)
    // A setting only the tests use is not offered to students.
    expect(output).not.toContain('TASKOVERFLOW_LOCAL_SQS_ENDPOINT')
    expect(code).toBe(0)
  })

  it('a stack name misspelled, with the nearest stack', async () => {
    const { code, output } = await run([...npm, 'run', 'destroy', '--', 'taskoverflow-servics'], {})
    expect(output).toContain('Unknown stack taskoverflow-servics (did you mean taskoverflow-services?); the stacks are queue-playground, taskoverflow-core, taskoverflow-images, taskoverflow-services')
    expect(output).not.toMatch(/^\s+at /m)
    expect(code).toBe(2)
  })

  it('npm start before npm ci', async () => {
    const bare = mkdtempSync(join(tmpdir(), 'taskoverflow-not-installed-'))
    try {
      cpSync(join(ROOT, 'package.json'), join(bare, 'package.json'))
      cpSync(join(ROOT, 'scripts', 'check-installed.js'), join(bare, 'scripts', 'check-installed.js'))
      const { code, output } = await runIn(bare, [...npm, 'start'], {})
      expect(output).toContain("This project's packages are not installed: run `npm ci` first (about a minute), then this command again.")
      expect(code).not.toBe(0)
    } finally {
      rmSync(bare, { recursive: true, force: true })
    }
  })
})

describe('arguments to a command that takes none', () => {
  it.each([
    ['emulator', ['--port', '4567']],
    ['pause', ['taskoverflow-services']],
    ['synth', ['taskoverflow-core']],
    ['cost', ['us-west-2']],
  ])('npm run %s refuses %j rather than run as if understood', async (script, args) => {
    const { code, output } = await run([...npm, 'run', script, '--', ...args], {})
    expect(output).toContain(`npm run ${script} takes no arguments (given: ${args.join(' ')}); its settings are environment variables, listed in docs/configuration.md.`)
    expect(code).toBe(2)
  })

  // Before anything else: without credentials, what ran past it would ask for them, and with
  // them, `npm run pause -- --help` would pause.
  it.each(['pause', 'resume', 'state-bucket', 'status', 'cost', 'synth', 'emulator'])('npm run %s -- --help says what it does and changes nothing', async (script) => {
    const { code, output } = await run([...npm, 'run', script, '--', '--help'], { TASKOVERFLOW_CREDENTIALS_FILE: join(tmpdir(), 'taskoverflow-no-such-credentials') })
    expect(output).toMatch(new RegExp(`^npm run ${script}: .+\\.\nIt takes no arguments; its settings are environment variables, listed in docs/configuration.md.$`, 'm'))
    expect(output).not.toContain('credentials')
    expect(code).toBe(0)
  })
})

describe('a port already in use', () => {
  it('stops npm start with one line naming PORT, before anything starts', async () => {
    const taken = createServer().listen(0, '127.0.0.1')
    await once(taken, 'listening')
    const port = (taken.address() as AddressInfo).port
    const data = join(tmpdir(), `taskoverflow-port-taken-${process.pid}`)
    try {
      const { code, output } = await run([...npm, 'start'], { PORT: String(port), SQS_PORT: '0', POSTGRES_PORT: '0', DATA_DIR: data })
      expect(output).toContain(`Could not start: Port ${port} is already in use; stop what uses it or choose another port with PORT=...`)
      expect(output).not.toMatch(/^\S*\s*\|?\s+at .+:\d+:\d+\)?$/m)
      expect(existsSync(data)).toBe(false)
      expect(code).toBe(1)
    } finally {
      taken.close()
      rmSync(data, { recursive: true, force: true })
    }
  })

  // The tests put the emulator behind the SQS rules proxy, which then takes the port; users run fauxqs on it.
  it.each([
    ['behind the rules proxy', 'enforce'],
    ['as users run it', ''],
  ])('stops the emulator %s with one line naming the variable that moves it', async (_how, rules) => {
    const taken = createServer().listen(0, '127.0.0.1')
    await once(taken, 'listening')
    const port = (taken.address() as AddressInfo).port
    try {
      const { code, output } = await run([...npm, 'run', 'emulator'], { SQS_PORT: String(port), SQS_EMULATOR_RULES: rules })
      expect(output).toContain(`Could not start: Port ${port} is already in use; stop what uses it or choose another port with SQS_PORT=...`)
      expect(output).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m)
      expect(code).toBe(1)
    } finally {
      taken.close()
    }
  })
})

const writeEmpty = (file: string) => writeFileSync(file, '')

describe('npm start against a real SQS queue', () => {
  const queueUrl = 'https://sqs.us-east-1.amazonaws.com/123456789012/ical'
  // Ports of their own, so this runs beside other tests of npm start; data in a folder of its own.
  const ports = async () => ({ PORT: String(await freePort()), SQS_PORT: '0', POSTGRES_PORT: '0' })

  it.each([
    ['a credentials file named but missing', (home: string) => ({ TASKOVERFLOW_CREDENTIALS_FILE: join(home, 'credentials') }), 'TASKOVERFLOW_CREDENTIALS_FILE names'],
    // An empty file the SDK reads, and no instance role to ask for: nothing anywhere in its chain.
    ['no credentials anywhere', (home: string) => (writeEmpty(join(home, 'credentials')), { TASKOVERFLOW_CREDENTIALS_FILE: join(home, 'credentials'), AWS_EC2_METADATA_DISABLED: 'true' }), 'No AWS credentials for the queue in ICAL_QUEUE_URL'],
  ])('stops before starting anything with %s, saying how to add them', async (_what, settings, expected) => {
    const home = mkdtempSync(join(tmpdir(), 'taskoverflow-no-credentials-'))
    const data = join(home, 'data')
    try {
      const { code, output } = await run([...npm, 'start'], { ...(await ports()), HOME: home, DATA_DIR: data, ICAL_QUEUE_URL: queueUrl, ...settings(home) })
      expect(output).toContain(`Could not start: ${expected}`)
      expect(output).toContain('cp credentials.example credentials')
      expect(existsSync(data)).toBe(false)
      expect(code).toBe(1)
    } finally {
      rmSync(home, { recursive: true, force: true })
    }
  })

  it('says in one line, without the SDK\'s stack and before anything starts, when SQS refuses the credentials', async () => {
    // SQS as it answers once a Lab session has ended (its JSON protocol, the query code in a header).
    const sqs = createHttpServer((_req, res) => {
      res.writeHead(403, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-query-error': 'ExpiredToken;Sender' })
      res.end(JSON.stringify({ __type: 'com.amazon.coral.service#ExpiredTokenException', message: 'The security token included in the request is expired' }))
    }).listen(0, '127.0.0.1')
    await once(sqs, 'listening')
    const data = join(tmpdir(), `taskoverflow-expired-${process.pid}`)
    try {
      const { code, output } = await run([...npm, 'start'], {
        ...(await ports()),
        DATA_DIR: data,
        ICAL_QUEUE_URL: queueUrl,
        AWS_ACCESS_KEY_ID: 'ASIA4ABCDEFG12345678',
        AWS_SECRET_ACCESS_KEY: 'abcdef0123456789abcdef0123456789abcdef01',
        AWS_ENDPOINT_URL_SQS: `http://127.0.0.1:${(sqs.address() as AddressInfo).port}`,
        AWS_MAX_ATTEMPTS: '1',
      })
      expect(output).toContain('Could not start: AWS does not accept these credentials (The security token included in the request is expired).')
      expect(output).not.toMatch(/^\S+\s*\|\s+at .+:\d+:\d+\)?$/m)
      expect(output).not.toContain('worker|')
      expect(existsSync(data)).toBe(false)
      expect(code).toBe(1)
    } finally {
      sqs.close()
      rmSync(data, { recursive: true, force: true })
    }
  })
})
