import { DataAwsSubnets } from '@cdktf/provider-aws/lib/data-aws-subnets'
import { DataAwsVpc } from '@cdktf/provider-aws/lib/data-aws-vpc'
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group'
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule'
import { Construct } from 'constructs'

export interface NetworkProps {
  /** Prefix of resource names. */
  readonly name: string
}

/**
 * The account's default VPC and its subnets, as the practical uses, and the security group of
 * the ECS tasks. Tasks get public IPs and reach ECR, SQS, CloudWatch and Secrets Manager over
 * the internet, which needs no NAT gateway; nothing may connect to them unless a rule says so.
 */
export class Network extends Construct {
  readonly vpc: DataAwsVpc
  readonly subnets: DataAwsSubnets
  readonly taskSecurityGroup: SecurityGroup

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id)
    this.vpc = new DataAwsVpc(this, 'vpc', { default: true })
    this.subnets = new DataAwsSubnets(this, 'subnets', { filter: [{ name: 'vpc-id', values: [this.vpc.id] }] })
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
