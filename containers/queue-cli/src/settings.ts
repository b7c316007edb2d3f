import { Command, Option } from 'commander'

export interface Flags {
  name: string
  clientName: string
  receive?: boolean
  prepend: string
  count: number
  region: string
  /** --endpoint, SQS_ENDPOINT, AWS_ENDPOINT_URL_SQS or AWS_ENDPOINT_URL, the first set. */
  endpoint?: string
  waitTime: number
}

/**
 * The services' rules for a region and an endpoint (containers/shared/src/setting-formats.ts),
 * copied: this package, an image of its own, depends on nothing of theirs.
 * test/unit/queue-cli-settings.test.ts holds the copies, and the endpoint's order below, to theirs.
 */
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/
const HTTP_URL = (value: string) => /^https?:\/\/./.test(value) && URL.canParse(value)

/** A flag's value checked as commander reads it: a problem is kept for the one message, not thrown. */
function wholeNumber(flag: string, min: number, max: number, problems: string[]) {
  return (value: string) => {
    if (/^\d+$/.test(value) && Number(value) >= min && Number(value) <= max) return Number(value)
    problems.push(`${flag}: expected a whole number from ${min} to ${max}, got ${JSON.stringify(value)}`)
    return Number.NaN
  }
}

function program(problems: string[], invokedAs: string): Command {
  return new Command(invokedAs)
    .description('Send numbered messages to an SQS queue, or receive and print them, to watch standard and FIFO queues behave.')
    // Required, but checked below with the rest: commander would stop at the first one missing.
    .option('--name <queue>', 'name of the queue, e.g. csse6400_prac or csse6400_prac.fifo (required)')
    .option('--client-name <name>', 'who is sending; sent as the "client" message attribute and printed by receivers (required)')
    .option('--receive', 'receive and print messages until Ctrl-C, instead of sending')
    .option('--prepend <text>', 'text put before each message body, e.g. A- to make new bodies for a FIFO queue', '')
    .option('--count <n>', 'how many messages to send', wholeNumber('--count', 1, 100_000, problems), 100)
    .option('--region <region>', 'AWS region of the queue', 'us-east-1')
    .addOption(new Option('--endpoint <url>', 'SQS endpoint of a local emulator such as fauxqs (no AWS account needed); also read from SQS_ENDPOINT, AWS_ENDPOINT_URL_SQS or AWS_ENDPOINT_URL').env('SQS_ENDPOINT'))
    .addOption(new Option('--wait-time <seconds>', 'long-poll wait per receive request').argParser(wholeNumber('--wait-time', 0, 20, problems)).default(20).hideHelp())
    .showHelpAfterError(usageHint(invokedAs))
}

/** Where to read the usage, in the words the user typed the command with. */
export const usageHint = (invokedAs: string) => `(${invokedAs} --help for usage)`

/**
 * An endpoint variable misspelled (`SQS_ENDPONT`) would send the messages to AWS instead of the
 * emulator: a variable like the endpoint's that is none is named, with those the CLI reads.
 * `AWS_ENDPOINT_URL_S3` and the like are the SDKs' own, for other services.
 */
function endpointSlips(env: NodeJS.ProcessEnv): string[] {
  return Object.entries(env)
    .filter(([name, value]) => (name.startsWith('SQS_') && name !== 'SQS_ENDPOINT' && HTTP_URL(value ?? '')) || (name.startsWith('AWS_ENDPOINT') && !/^AWS_ENDPOINT_URL(_[A-Z0-9_]+)?$/.test(name)))
    .map(([name]) => `${name} is not a setting; the endpoint is --endpoint, SQS_ENDPOINT, AWS_ENDPOINT_URL_SQS or AWS_ENDPOINT_URL`)
}

/**
 * The flags and the SDKs' endpoint variables, or every problem with them, a missing flag
 * included (then no flags). An unknown flag stops commander at once, with its own message.
 * `invokedAs` is how the user runs it (`npm run queue --` from the project), for help and hints.
 */
export function readSettings(argv: readonly string[], env: NodeJS.ProcessEnv, invokedAs = 'queue-demo'): { flags?: Flags; problems: string[] } {
  const problems: string[] = endpointSlips(env)
  const command = program(problems, invokedAs).parse(argv)
  const flags = command.opts<Partial<Flags> & Pick<Flags, 'region' | 'count' | 'prepend' | 'waitTime'>>()
  const missing = [
    ...(flags.name ? [] : ['--name: required, the queue to use, e.g. csse6400_prac or csse6400_prac.fifo']),
    ...(flags.clientName ? [] : ['--client-name: required, who is sending, e.g. "Client 1"']),
  ]
  problems.unshift(...missing)
  if (!REGION.test(flags.region)) problems.push(`--region: expected an AWS region such as us-east-1, got ${JSON.stringify(flags.region)}`)
  const endpoints: Array<[string, string | undefined]> = [
    [command.getOptionValueSource('endpoint') === 'env' ? 'SQS_ENDPOINT' : '--endpoint', flags.endpoint],
    ['AWS_ENDPOINT_URL_SQS', env.AWS_ENDPOINT_URL_SQS],
    ['AWS_ENDPOINT_URL', env.AWS_ENDPOINT_URL],
  ]
  for (const [name, value] of endpoints) {
    if (value && !HTTP_URL(value)) problems.push(`${name}: expected an http:// or https:// URL, got ${JSON.stringify(value)}`)
  }
  // The SDKs' standard variables, as LocalStack and the AWS CLI use them, after the flag and in the
  // services' order (sqsEndpointFrom), given to the client as its endpoint so requests go there
  // and not to the queue URL's host.
  const { name, clientName } = flags
  if (problems.length > 0 || !name || !clientName) return { problems }
  return { flags: { ...flags, name, clientName, endpoint: endpoints.map(([, value]) => value).find(Boolean) }, problems }
}
