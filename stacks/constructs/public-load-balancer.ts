import type { DataAwsSubnet } from '@cdktf/provider-aws/lib/data-aws-subnet'
import type { DataAwsVpc } from '@cdktf/provider-aws/lib/data-aws-vpc'
import { Lb } from '@cdktf/provider-aws/lib/lb'
import { LbListener } from '@cdktf/provider-aws/lib/lb-listener'
import { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group'
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group'
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule'
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule'
import { Construct } from 'constructs'

export interface PublicLoadBalancerProps {
  /** Prefix of resource names (at most 28 characters: AWS limits these names to 32). */
  readonly name: string
  readonly vpc: DataAwsVpc
  /** Each in its own Availability Zone; every one holds a billed public IPv4 address. At least two. */
  readonly subnets: readonly DataAwsSubnet[]
  /** The security group of the tasks behind the load balancer; gains one rule, from the load balancer. */
  readonly targetSecurityGroup: SecurityGroup
  readonly targetPort: number
  readonly healthCheckPath: string
  /** @default 80 */
  readonly listenerPort?: number
}

/**
 * An internet-facing application load balancer: the only thing open to the world, and only on
 * its listener port. The tasks accept connections from it alone.
 */
export class PublicLoadBalancer extends Construct {
  readonly securityGroup: SecurityGroup
  readonly loadBalancer: Lb
  readonly targetGroup: LbTargetGroup
  readonly listener: LbListener
  readonly url: string

  constructor(scope: Construct, id: string, props: PublicLoadBalancerProps) {
    super(scope, id)
    if (props.name.length > 28) throw new Error(`PublicLoadBalancer: name "${props.name}" is longer than 28 characters`)
    if (props.subnets.length < 2) throw new Error(`PublicLoadBalancer ${props.name}: an application load balancer needs subnets in at least two Availability Zones, got ${props.subnets.length}`)
    const listenerPort = props.listenerPort ?? 80

    this.securityGroup = new SecurityGroup(this, 'security-group', {
      name: `${props.name}-load-balancer`,
      description: 'Public HTTP to the load balancer',
      vpcId: props.vpc.id,
    })
    new VpcSecurityGroupIngressRule(this, 'from-internet', {
      securityGroupId: this.securityGroup.id,
      description: 'HTTP from anywhere',
      ipProtocol: 'tcp',
      fromPort: listenerPort,
      toPort: listenerPort,
      cidrIpv4: '0.0.0.0/0',
    })
    new VpcSecurityGroupEgressRule(this, 'to-targets', {
      securityGroupId: this.securityGroup.id,
      description: 'To the tasks',
      ipProtocol: 'tcp',
      fromPort: props.targetPort,
      toPort: props.targetPort,
      referencedSecurityGroupId: props.targetSecurityGroup.id,
    })
    new VpcSecurityGroupIngressRule(this, 'targets-from-load-balancer', {
      securityGroupId: props.targetSecurityGroup.id,
      description: 'From the load balancer',
      ipProtocol: 'tcp',
      fromPort: props.targetPort,
      toPort: props.targetPort,
      referencedSecurityGroupId: this.securityGroup.id,
    })

    this.loadBalancer = new Lb(this, 'load-balancer', {
      name: props.name,
      loadBalancerType: 'application',
      internal: false,
      securityGroups: [this.securityGroup.id],
      subnets: props.subnets.map((subnet) => subnet.id),
      dropInvalidHeaderFields: true,
    })
    this.targetGroup = new LbTargetGroup(this, 'targets', {
      name: `${props.name}-tg`,
      port: props.targetPort,
      protocol: 'HTTP',
      targetType: 'ip',
      vpcId: props.vpc.id,
      // Short drain for quick deploys; requests are short.
      deregistrationDelay: '30',
      healthCheck: { path: props.healthCheckPath, matcher: '200', interval: 15, timeout: 5, healthyThreshold: 2, unhealthyThreshold: 3 },
    })
    this.listener = new LbListener(this, 'listener', {
      loadBalancerArn: this.loadBalancer.arn,
      port: listenerPort,
      protocol: 'HTTP',
      defaultAction: [{ type: 'forward', targetGroupArn: this.targetGroup.arn }],
    })
    this.url = `http://${this.loadBalancer.dnsName}`
  }
}
