import { DataAwsSubnet } from '@cdktf/provider-aws/lib/data-aws-subnet/index.js'
import { DataAwsVpc } from '@cdktf/provider-aws/lib/data-aws-vpc/index.js'
import { Lb } from '@cdktf/provider-aws/lib/lb/index.js'
import { LbListener } from '@cdktf/provider-aws/lib/lb-listener/index.js'
import { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group/index.js'
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group/index.js'
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule/index.js'
import { describe, expect, it } from '@jest/globals'
import { PublicLoadBalancer, type PublicLoadBalancerProps } from '../../../stacks/constructs/public-load-balancer.js'
import { ref, resources, synthConstruct } from './synth-construct.js'

function synthLoadBalancer(props: Partial<PublicLoadBalancerProps> = {}, zones = 2) {
  return synthConstruct((scope) => {
    const vpc = new DataAwsVpc(scope, 'vpc', { default: true })
    const subnets = Array.from({ length: zones }, (_, i) => new DataAwsSubnet(scope, `subnet-${i}`, { vpcId: vpc.id, defaultForAz: true }))
    const tasks = new SecurityGroup(scope, 'tasks', { name: 'tasks', vpcId: vpc.id })
    const balancer = new PublicLoadBalancer(scope, 'load-balancer', { name: 'taskoverflow', vpc, subnets, targetSecurityGroup: tasks, targetPort: 6400, healthCheckPath: '/health', ...props })
    return { vpc, subnets, tasks, balancer }
  })
}

describe('PublicLoadBalancer', () => {
  const { synthesized, made, resolve } = synthLoadBalancer()
  const own = ref(made.balancer.securityGroup, 'id')

  it('is an internet-facing application load balancer in every subnet given, dropping malformed headers', () => {
    expect(synthesized).toHaveResourceWithProperties(Lb, {
      name: 'taskoverflow',
      load_balancer_type: 'application',
      internal: false,
      security_groups: [own],
      subnets: made.subnets.map((subnet) => ref(subnet, 'id')),
      drop_invalid_header_fields: true,
    })
    expect(resolve(made.balancer.url)).toBe(`http://${ref(made.balancer.loadBalancer, 'dns_name')}`)
  })

  it('is open to the world on HTTP port 80 by default, and on nothing else', () => {
    expect(synthesized).toHaveResourceWithProperties(SecurityGroup, { name: 'taskoverflow-load-balancer', vpc_id: ref(made.vpc, 'id') })
    const fromWorld = Object.values(resources(synthesized, 'aws_vpc_security_group_ingress_rule')).filter((rule) => rule.cidr_ipv4 || rule.cidr_ipv6)
    expect(fromWorld).toEqual([expect.objectContaining({ security_group_id: own, ip_protocol: 'tcp', from_port: 80, to_port: 80, cidr_ipv4: '0.0.0.0/0' })])
    expect(synthesized).toHaveResourceWithProperties(LbListener, { load_balancer_arn: ref(made.balancer.loadBalancer, 'arn'), port: 80, protocol: 'HTTP' })
  })

  it('reaches the tasks on their port alone, and they let in the load balancer alone', () => {
    expect(Object.values(resources(synthesized, 'aws_vpc_security_group_egress_rule'))).toEqual([
      expect.objectContaining({ security_group_id: own, ip_protocol: 'tcp', from_port: 6400, to_port: 6400, referenced_security_group_id: ref(made.tasks, 'id') }),
    ])
    expect(synthesized).toHaveResourceWithProperties(VpcSecurityGroupIngressRule, {
      security_group_id: ref(made.tasks, 'id'),
      ip_protocol: 'tcp',
      from_port: 6400,
      to_port: 6400,
      referenced_security_group_id: own,
    })
    expect(Object.keys(resources(synthesized, 'aws_vpc_security_group_ingress_rule'))).toHaveLength(2)
  })

  it('forwards every request to the tasks by IP, checks their health path, and drains them for 30 s', () => {
    expect(synthesized).toHaveResourceWithProperties(LbTargetGroup, {
      name: 'taskoverflow-tg',
      port: 6400,
      protocol: 'HTTP',
      target_type: 'ip',
      vpc_id: ref(made.vpc, 'id'),
      deregistration_delay: '30',
      health_check: { path: '/health', matcher: '200', interval: 15, timeout: 5, healthy_threshold: 2, unhealthy_threshold: 3 },
    })
    expect(synthesized).toHaveResourceWithProperties(LbListener, { default_action: [{ type: 'forward', target_group_arn: ref(made.balancer.targetGroup, 'arn') }] })
  })

  it('listens on the port it is told to, and opens only that one to the world', () => {
    const { synthesized: on8080 } = synthLoadBalancer({ listenerPort: 8080 })
    expect(on8080).toHaveResourceWithProperties(LbListener, { port: 8080 })
    expect(on8080).toHaveResourceWithProperties(VpcSecurityGroupIngressRule, { from_port: 8080, to_port: 8080, cidr_ipv4: '0.0.0.0/0' })
    expect(Object.values(resources(on8080, 'aws_vpc_security_group_ingress_rule')).filter((rule) => rule.cidr_ipv4)).toHaveLength(1)
  })

  it('spans as many subnets as it is given', () => {
    expect(Object.values(resources(synthLoadBalancer({}, 3).synthesized, 'aws_lb'))[0].subnets).toHaveLength(3)
  })

  it('accepts a name of 28 characters, its limit', () => {
    expect(synthLoadBalancer({ name: 'a'.repeat(28) }).synthesized).toHaveResourceWithProperties(LbTargetGroup, { name: `${'a'.repeat(28)}-tg` })
  })

  it('refuses a name longer than 28 characters, naming it', () => {
    expect(() => synthLoadBalancer({ name: 'a'.repeat(29) })).toThrow(`PublicLoadBalancer: name "${'a'.repeat(29)}" is longer than 28 characters`)
  })

  it('refuses fewer than two subnets, which an application load balancer cannot span', () => {
    expect(() => synthLoadBalancer({}, 1)).toThrow('PublicLoadBalancer taskoverflow: an application load balancer needs subnets in at least two Availability Zones, got 1')
  })
})
