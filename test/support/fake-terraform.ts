/**
 * A `terraform` for the lifecycle tests (TERRAFORM_BIN): a script that hands its arguments and
 * folder to the AWS stand-in (aws-stand-in.ts), which plays what the AWS provider would do to the
 * stand-in's account for the synthesized JSON there, writes the state where the JSON's backend
 * says, and answers with Terraform's exit code and output. RDS's rules that matter to a pause are
 * kept: a final snapshot is taken under the name the *state* gives, and fails if one exists; a
 * restore needs an available snapshot; a tainted instance is replaced.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import type { World } from './aws-stand-in.js'

/** Writes the executable into `dir`; returns its path, for TERRAFORM_BIN. */
export function writeFakeTerraform(dir: string, endpoint: string): string {
  const script = join(dir, 'fake-terraform.mjs')
  writeFileSync(
    script,
    `const settings = Object.keys(process.env).filter((name) => name.startsWith('TASKOVERFLOW_'))
const answer = await (await fetch(${JSON.stringify(`${endpoint}/__terraform`)}, { method: 'POST', body: JSON.stringify({ args: process.argv.slice(2), cwd: process.cwd(), settings }) })).json()
process.stdout.write(answer.stdout)
process.stderr.write(answer.stderr)
process.exitCode = answer.code
`,
  )
  const bin = join(dir, 'terraform')
  writeFileSync(bin, `#!/bin/sh\nexec "${process.execPath}" "${script}" "$@"\n`)
  chmodSync(bin, 0o755)
  return bin
}

type State = { version: 4; outputs: Record<string, { value: unknown }>; resources: Array<{ mode: string; type: string; name: string; instances: Array<{ attributes: any; status?: string }> }> }
const EXPIRED = 'Error: retrieving caller identity from STS: operation error STS: GetCallerIdentity, https response error StatusCode: 403, RequestID: 0, api error ExpiredToken: The security token included in the request is expired\n'
const DATABASE = 'aws_db_instance'

/** What the fake terraform was asked: `verb stack` per run, and any deployment setting it was handed in its environment. */
export interface TerraformLog {
  readonly runs: string[]
  readonly settings: string[]
}

/**
 * The control handler the stand-in runs for each fake terraform call. A load balancer's URL is
 * `apiBase/lb-N`, where the stand-in answers the API's health check, and the job queue's is on
 * the stand-in too (the SQS client sends to the host of the queue's URL).
 */
export function terraformControl(world: World, log: TerraformLog = { runs: [], settings: [] }, apiBase = 'http://taskoverflow.example') {
  return async (_path: string, body: string) => {
    const { args, cwd, settings } = JSON.parse(body) as { args: string[]; cwd: string; settings: string[] }
    // The preflight's version check, before anything runs: no stack's folder, nothing to log.
    if (args[0] === 'version') return { code: 0, stdout: JSON.stringify({ terraform_version: '1.11.4' }), stderr: '' }
    log.settings.push(...settings)
    const stack = cwd.split('/').pop()!
    const json = JSON.parse(readFileSync(join(cwd, 'cdk.tf.json'), 'utf8'))
    const backend = json.terraform.backend
    const key = backend.s3 ? `${backend.s3.bucket}/${backend.s3.key}` : resolve(cwd, backend.local.path)
    const read = (): State => {
      const text = backend.s3 ? world.s3[key] : existsSync(key) ? readFileSync(key, 'utf8') : undefined
      return text ? JSON.parse(text) : { version: 4, outputs: {}, resources: [] }
    }
    const write = (state: State) => {
      if (backend.s3) world.s3[key] = JSON.stringify(state)
      else {
        mkdirSync(dirname(key), { recursive: true })
        writeFileSync(key, JSON.stringify(state))
      }
    }
    const verb = args[0]!
    log.runs.push(`${verb}${verb === 'untaint' ? ` ${args.at(-1)}` : ''} ${stack}`)
    if (verb === 'init') return { code: 0, stdout: 'Terraform has been successfully initialized!\n', stderr: '' }
    if (verb === 'untaint') {
      const state = read()
      for (const resource of state.resources) if (`${resource.type}.${resource.name}` === args.at(-1)) resource.instances.forEach((instance) => delete instance.status)
      write(state)
      return { code: 0, stdout: 'Resource instance has been successfully untainted.\n', stderr: '' }
    }
    if (verb !== 'apply' && verb !== 'destroy') return { code: 1, stdout: '', stderr: `the fake terraform does not do \`terraform ${verb}\`\n` }
    if (world.expired) return { code: 1, stdout: '', stderr: EXPIRED }
    const before = read()
    const ending = world.endSessionDuring === `${verb} ${stack}`
    if (ending) world.endSessionDuring = undefined
    const outcome = change(world, stack, verb === 'destroy' ? {} : json.resource ?? {}, before, ending)
    if (outcome.error) {
      // A create cut short leaves the instance in the state, marked tainted, as Terraform does.
      if (outcome.tainted) write(stateFor(world, json, apiBase, true))
      return { code: 1, stdout: '', stderr: outcome.error }
    }
    write(verb === 'destroy' ? { version: 4, outputs: {}, resources: [] } : stateFor(world, json, apiBase))
    return { code: 0, stdout: `Apply complete!\n`, stderr: '' }
  }
}

/** The account after the change; an error as the provider prints it, or whether the instance it made is tainted. */
function change(world: World, stack: string, wanted: Record<string, Record<string, any>>, before: State, ending: boolean): { error?: string; tainted?: boolean } {
  if (stack === 'taskoverflow-services') {
    world.cluster = true
    const running = Object.values(wanted.aws_ecs_service ?? {}).map((service) => service.name as string)
    if (running.length > 0 && Object.keys(world.services).length === 0) {
      world.loadBalancers += 1
      for (const name of running) {
        world.services[name] = 1
        world.tasks.push({ arn: `arn:aws:ecs:us-east-1:123456789012:task/${name}/${world.tasks.length}`, group: `service:${name}`, lastStatus: 'RUNNING', desiredStatus: 'RUNNING', looksToStop: 0 })
      }
    }
    if (running.length === 0) {
      world.services = {}
      // As DeleteService leaves them: the worker still finishing its batch.
      for (const task of world.tasks) if (task.lastStatus !== 'STOPPED') Object.assign(task, { desiredStatus: 'STOPPED', lastStatus: 'DEACTIVATING', looksToStop: 2 })
    }
    return {}
  }
  if (stack !== 'taskoverflow-core') return {}
  const old = before.resources.find((resource) => resource.type === DATABASE)?.instances[0]
  const [instance] = Object.values(wanted[DATABASE] ?? {})
  const remove = () => {
    if (!world.instance) return {}
    if (world.tasks.some((task) => task.lastStatus !== 'STOPPED')) world.deletedUnderTask = true
    const final = old?.attributes.skip_final_snapshot === false ? old.attributes.final_snapshot_identifier : undefined
    if (final && world.snapshot) return { error: `Error: deleting RDS DB Instance (taskoverflow-database): operation error RDS: DeleteDBInstance, api error DBSnapshotAlreadyExists: Cannot create the snapshot because a snapshot with the identifier ${final} already exists.\n` }
    if (final) world.snapshot = { status: ending ? 'creating' : 'available', data: world.instance.data, created: new Date(), allocatedStorage: 20 }
    if (ending) {
      world.instance.status = 'deleting'
      world.expired = true
      return { error: EXPIRED }
    }
    world.instance = undefined
    return {}
  }
  if (!instance || old?.status === 'tainted') {
    const removed = remove()
    if (removed.error || !instance) return removed
  }
  if (instance && !world.instance) {
    if (instance.snapshot_identifier && world.snapshot?.status !== 'available') return { error: `Error: creating RDS DB Instance (restore from snapshot): api error DBSnapshotNotFound: DBSnapshot ${instance.snapshot_identifier} not found.\n` }
    world.instance = { status: ending ? 'creating' : 'available', data: instance.snapshot_identifier ? world.snapshot!.data : 'empty', created: new Date() }
    if (ending) {
      world.expired = true
      return { tainted: true, error: EXPIRED }
    }
  }
  return {}
}

/** A state as Terraform would write it for the JSON just applied: each resource's configured attributes, the outputs given values. */
function stateFor(world: World, json: any, apiBase: string, tainted = false): State {
  const resources = Object.entries<Record<string, any>>(json.resource ?? {}).flatMap(([type, byName]) =>
    Object.entries(byName).map(([name, block]) => ({
      mode: 'managed',
      type,
      name,
      instances: [{ attributes: type === 'terraform_data' ? { input: { value: block.input } } : block, ...(type === DATABASE && tainted ? { status: 'tainted' } : {}) }],
    })),
  )
  const value = (name: string, expression: unknown) =>
    name === 'api_url' ? `${apiBase}/lb-${world.loadBalancers}` : name === 'ical_queue_url' ? `${apiBase}/123456789012/ical` : typeof expression === 'string' && !expression.includes('${') ? expression : 'fake'
  return { version: 4, outputs: Object.fromEntries(Object.entries<any>(json.output ?? {}).map(([name, output]) => [name, { value: value(name, output.value) }])), resources }
}
