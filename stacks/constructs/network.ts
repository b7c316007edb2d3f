import { DataAwsAvailabilityZones } from '@cdktf/provider-aws/lib/data-aws-availability-zones'
import { DataAwsSubnet } from '@cdktf/provider-aws/lib/data-aws-subnet'
import { DataAwsVpc } from '@cdktf/provider-aws/lib/data-aws-vpc'
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group'
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule'
import { Fn } from 'cdktf'
import { Construct } from 'constructs'

/** Zones that lack current services: see the constructor. */
const LEGACY_ZONE_IDS = ['use1-az3'] as const

export interface NetworkProps {
  /** Prefix of resource names. */
  readonly name: string
  /**
   * How many Availability Zones to use, one default subnet each. An internet-facing load balancer
   * holds a billed public IPv4 address in every subnet it spans, so fewer zones cost less; an
   * application load balancer needs at least two. @default 2
   */
  readonly availabilityZones?: number
}

/**
 * The account's default VPC, as the practical uses, narrowed to the default subnets of its first
 * Availability Zones by name (us-east-1a, us-east-1b, ...): the same ones on every plan, so the
 * load balancer and the tasks stay where they are. Also the security group of the ECS tasks,
 * which get public IPs and reach ECR, SQS, CloudWatch and Secrets Manager over the internet
 * (no NAT gateway); nothing may connect to them unless a rule says so.
 */
export class Network extends Construct {
  readonly vpc: DataAwsVpc
  /** One default subnet in each zone used, in zone order. */
  readonly subnets: DataAwsSubnet[]
  readonly subnetIds: string[]
  readonly taskSecurityGroup: SecurityGroup

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id)
    const zoneCount = props.availabilityZones ?? 2
    if (!Number.isInteger(zoneCount) || zoneCount < 2) throw new Error(`Network ${props.name}: availabilityZones must be a whole number of at least 2 (an application load balancer needs two)`)

    this.vpc = new DataAwsVpc(this, 'vpc', { default: true })
    // Regular zones only: Local and Wavelength Zones are opt-in and have no default subnet. Not
    // use1-az3 either, us-east-1's oldest zone, which newer services leave out (AWS's own table of
    // zones for EFS One Zone lists every us-east-1 zone but it): zone names map to zone ids per
    // account, so in some accounts it is us-east-1a.
    const zones = new DataAwsAvailabilityZones(this, 'zones', {
      state: 'available',
      excludeZoneIds: [...LEGACY_ZONE_IDS],
      filter: [{ name: 'opt-in-status', values: ['opt-in-not-required'] }],
    })
    this.subnets = Array.from(
      { length: zoneCount },
      (_, i) =>
        new DataAwsSubnet(this, `zone-${i}-subnet`, {
          vpcId: this.vpc.id,
          availabilityZone: Fn.element(Fn.sort(zones.names), i),
          defaultForAz: true,
        }),
    )
    this.subnetIds = this.subnets.map((subnet) => subnet.id)
    this.taskSecurityGroup = new SecurityGroup(this, 'tasks', {
      name: `${props.name}-tasks`,
      description: 'ECS tasks of the API and the worker',
      vpcId: this.vpc.id,
    })
    new VpcSecurityGroupEgressRule(this, 'tasks-egress', {
      securityGroupId: this.taskSecurityGroup.id,
      description: 'AWS APIs (ECR, SQS, CloudWatch, Secrets Manager) and the database',
      ipProtocol: '-1',
      cidrIpv4: '0.0.0.0/0',
    })
  }
}
