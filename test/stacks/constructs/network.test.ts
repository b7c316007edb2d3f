import { DataAwsAvailabilityZones } from '@cdktf/provider-aws/lib/data-aws-availability-zones/index.js'
import { DataAwsVpc } from '@cdktf/provider-aws/lib/data-aws-vpc/index.js'
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group/index.js'
import { describe, expect, it } from '@jest/globals'
import { Network, type NetworkProps } from '../../../stacks/constructs/network.js'
import { dataSources, ref, resources, synthConstruct } from './synth-construct.js'

function synthNetwork(props: Partial<NetworkProps> = {}) {
  return synthConstruct((scope) => new Network(scope, 'network', { name: 'taskoverflow', ...props }))
}

/** The zone of each subnet the network gives, in its order, with the zone list written NAMES. */
function subnetZones({ synthesized, made }: ReturnType<typeof synthNetwork>): string[] {
  const [zones] = Object.keys(dataSources(synthesized, 'aws_availability_zones'))
  const subnets = dataSources(synthesized, 'aws_subnet')
  expect(Object.keys(subnets)).toHaveLength(made.subnets.length)
  return made.subnets.map((subnet) => subnets[subnet.friendlyUniqueId].availability_zone.replace(`data.aws_availability_zones.${zones}.names`, 'NAMES'))
}

describe('Network', () => {
  it("uses the account's default VPC, as the practical does", () => {
    expect(synthNetwork().synthesized).toHaveDataSourceWithProperties(DataAwsVpc, { default: true })
  })

  it('picks from regular zones only, never use1-az3, which newer services leave out', () => {
    expect(synthNetwork().synthesized).toHaveDataSourceWithProperties(DataAwsAvailabilityZones, {
      state: 'available',
      exclude_zone_ids: ['use1-az3'],
      filter: [{ name: 'opt-in-status', values: ['opt-in-not-required'] }],
    })
  })

  it('narrows the VPC to the default subnets of its first two zones by name, the same on every plan', () => {
    const network = synthNetwork()
    const { synthesized, made, resolve } = network
    expect(subnetZones(network)).toEqual(['${element(sort(NAMES), 0)}', '${element(sort(NAMES), 1)}'])
    for (const subnet of Object.values(dataSources(synthesized, 'aws_subnet'))) expect(subnet).toMatchObject({ default_for_az: true, vpc_id: ref(made.vpc, 'id') })
    expect(resolve(made.subnetIds)).toEqual(made.subnets.map((subnet) => ref(subnet, 'id')))
  })

  it('uses as many zones as it is told to, in zone order', () => {
    expect(subnetZones(synthNetwork({ availabilityZones: 3 }))).toEqual(['${element(sort(NAMES), 0)}', '${element(sort(NAMES), 1)}', '${element(sort(NAMES), 2)}'])
  })

  it('gives the tasks a security group that reaches out anywhere and that nothing reaches unless a rule says so', () => {
    const { synthesized, made } = synthNetwork()
    expect(synthesized).toHaveResourceWithProperties(SecurityGroup, { name: 'taskoverflow-tasks', vpc_id: ref(made.vpc, 'id') })
    expect(Object.values(resources(synthesized, 'aws_vpc_security_group_egress_rule'))).toEqual([
      expect.objectContaining({ security_group_id: ref(made.taskSecurityGroup, 'id'), ip_protocol: '-1', cidr_ipv4: '0.0.0.0/0' }),
    ])
    expect(resources(synthesized, 'aws_vpc_security_group_ingress_rule')).toEqual({})
    expect(resources(synthesized, 'aws_security_group')[made.taskSecurityGroup.friendlyUniqueId]).not.toHaveProperty('ingress')
  })

  // An application load balancer needs subnets in two zones.
  it.each([1, 0, 2.5])('refuses %p availability zones', (availabilityZones) => {
    expect(() => synthNetwork({ availabilityZones })).toThrow('Network taskoverflow: availabilityZones must be a whole number of at least 2 (an application load balancer needs two)')
  })
})
