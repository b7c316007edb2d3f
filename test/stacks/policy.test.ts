import { describe, expect, it } from '@jest/globals'
import { containers, json, resources, STACKS, synthAll } from './synth.js'

/** Both IAM modes and the local emulation, so no variant escapes the policies. */
const variants = {
  'learner-lab': synthAll(),
  'create-roles': synthAll({ TASKOVERFLOW_IAM_MODE: 'create-roles' }),
  'with credentials file': synthAll({}, { credentialsFile: '../../../credentials' }),
}

const WORLD = ['0.0.0.0/0', '::/0']

describe.each(Object.entries(variants))('policies over every stack (%s)', (_variant, synthesized) => {
  it.each(STACKS)('%s: nothing is open to the world but the load balancer, on port 80', (stack) => {
    const tf = json(synthesized[stack])
    const groups = resources(synthesized[stack], 'aws_security_group')
    for (const group of Object.values(groups)) {
      expect(group.ingress ?? []).toEqual([]) // inline ingress rules are not used
    }
    expect(tf.resource?.aws_security_group_rule).toBeUndefined()
    for (const [name, rule] of Object.entries(resources(synthesized[stack], 'aws_vpc_security_group_ingress_rule'))) {
      if (!WORLD.includes(rule.cidr_ipv4) && !WORLD.includes(rule.cidr_ipv6)) continue
      const target = Object.entries(groups).find(([id]) => rule.security_group_id === `\${aws_security_group.${id}.id}`)
      expect({ rule: name, opensToTheWorld: target?.[1].name }).toEqual({ rule: name, opensToTheWorld: 'taskoverflow-load-balancer' })
      expect([name, rule.ip_protocol, rule.from_port, rule.to_port]).toEqual([name, 'tcp', 80, 80])
    }
  })

  it.each(STACKS)('%s: no plaintext password in any output, environment or resource', (stack) => {
    const text = synthesized[stack]
    const tf = json(text)
    for (const [name, output] of Object.entries(tf.output ?? {}) as Array<[string, { value: string }]>) {
      expect(`output ${name}: ${String(output.value)}`).not.toMatch(/:\/\/[^/@:]+:[^@]+@/)
      expect(name).not.toMatch(/password/i)
    }
    for (const definition of Object.values(resources(text, 'aws_ecs_task_definition'))) {
      for (const container of containers(text, definition.family)) {
        for (const { name, value } of container.environment) {
          // A variable may name where a secret is (an ARN, read by the task), never hold one.
          if (name.endsWith('_SECRET_ARN')) expect(`${name}=${value}`).toMatch(/^\w+=\$\{[^}]+secret_arn\}$/)
          else expect(`${definition.family} environment ${name}`).not.toMatch(/PASSWORD|SECRET|TOKEN/)
          expect(`${definition.family} ${name}=${value}`).not.toMatch(/:\/\/[^/@:]+:[^@]+@/)
        }
      }
    }
    for (const database of Object.values(resources(text, 'aws_db_instance'))) expect(database).not.toHaveProperty('password')
    // No literal anywhere: a password is only ever a reference resolved at apply time.
    expect(text).not.toMatch(/"(master_)?password"\s*:\s*"(?!\$\{)/)
    expect(text).not.toContain('verySecretPassword')
  })
})
