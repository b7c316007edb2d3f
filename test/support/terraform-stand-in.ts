import { chmodSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/**
 * A stand-in terraform CLI in `folder`, for tests of what the commands do before Terraform runs:
 * it answers `terraform version -json` with `answer` (a version by default) and nothing else.
 * Returns its path, for TERRAFORM_BIN.
 */
export function terraformStandIn(folder: string, answer: { version: string } | { text: string } = { version: '1.11.4' }, name = 'terraform'): string {
  const bin = join(folder, name)
  const text = 'version' in answer ? JSON.stringify({ terraform_version: answer.version }) : answer.text
  writeFileSync(bin, `#!/bin/sh\ncat <<'ANSWER'\n${text}\nANSWER\n`)
  chmodSync(bin, 0o755)
  return bin
}
