import { AppautoscalingPolicy } from '@cdktf/provider-aws/lib/appautoscaling-policy'
import { AppautoscalingTarget } from '@cdktf/provider-aws/lib/appautoscaling-target'
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm'
import type { EcsCluster } from '@cdktf/provider-aws/lib/ecs-cluster'
import type { EcsService } from '@cdktf/provider-aws/lib/ecs-service'
import type { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue'
import { Construct } from 'constructs'

export interface QueueBacklogScalingProps {
  /** Prefix of alarm and policy names. */
  readonly name: string
  readonly cluster: EcsCluster
  readonly service: EcsService
  readonly queue: SqsQueue
  readonly minTasks: number
  readonly maxTasks: number
  /** Jobs waiting that add a task (at least 1); ten times as many add three. @default 50, or 1 when minTasks is 0 */
  readonly scaleOutBacklog?: number
  /** Minutes of an empty queue before a task is removed, at most a day. @default 5 */
  readonly scaleInAfterMinutes?: number
}

/**
 * Scales a worker service between a minimum and a maximum on the queue's backlog: step
 * scaling out as jobs pile up, and one task at a time back in once the queue has been empty.
 */
export class QueueBacklogScaling extends Construct {
  readonly target: AppautoscalingTarget
  readonly scaleOut: AppautoscalingPolicy
  readonly scaleIn: AppautoscalingPolicy

  constructor(scope: Construct, id: string, props: QueueBacklogScalingProps) {
    super(scope, id)
    // Application Auto Scaling counts whole tasks, and a backlog below one job would always alarm.
    for (const [prop, value] of [['minTasks', props.minTasks], ['maxTasks', props.maxTasks]] as const) {
      if (!Number.isInteger(value)) throw new Error(`QueueBacklogScaling: ${prop} must be a whole number, not ${value}`)
    }
    if (props.scaleOutBacklog !== undefined && !(Number.isInteger(props.scaleOutBacklog) && props.scaleOutBacklog >= 1)) {
      throw new Error(`QueueBacklogScaling: scaleOutBacklog must be a whole number of jobs from 1, not ${props.scaleOutBacklog}`)
    }
    // CloudWatch evaluates an alarm with periods under an hour over at most a day (PutMetricAlarm's Period).
    const scaleInAfterMinutes = props.scaleInAfterMinutes ?? 5
    if (!Number.isInteger(scaleInAfterMinutes) || scaleInAfterMinutes < 1 || scaleInAfterMinutes > 1440) {
      throw new Error(`QueueBacklogScaling: scaleInAfterMinutes must be a whole number from 1 to 1440 (a day), not ${scaleInAfterMinutes}`)
    }
    if (props.minTasks < 0 || props.maxTasks < 1 || props.minTasks > props.maxTasks) {
      throw new Error(`QueueBacklogScaling: need 0 <= minTasks (${props.minTasks}) <= maxTasks (${props.maxTasks}) and maxTasks >= 1`)
    }
    // With no worker running, the first job must start one, or a few jobs would wait forever.
    const backlog = props.scaleOutBacklog ?? (props.minTasks === 0 ? 1 : 50)
    if (props.minTasks === 0 && backlog !== 1) throw new Error(`QueueBacklogScaling: with minTasks 0, one waiting job must start a worker (scaleOutBacklog 1, not ${backlog})`)
    this.target = new AppautoscalingTarget(this, 'target', {
      serviceNamespace: 'ecs',
      scalableDimension: 'ecs:service:DesiredCount',
      resourceId: `service/${props.cluster.name}/${props.service.name}`,
      // Application Auto Scaling moves the desired count into a changed range at once.
      minCapacity: props.minTasks,
      maxCapacity: props.maxTasks,
    })
    const policy = (policyId: string, cooldown: number, steps: Array<{ metricIntervalLowerBound?: string; metricIntervalUpperBound?: string; scalingAdjustment: number }>) =>
      new AppautoscalingPolicy(this, policyId, {
        name: `${props.name}-${policyId}`,
        policyType: 'StepScaling',
        serviceNamespace: this.target.serviceNamespace,
        scalableDimension: this.target.scalableDimension,
        resourceId: this.target.resourceId,
        stepScalingPolicyConfiguration: { adjustmentType: 'ChangeInCapacity', cooldown, metricAggregationType: 'Maximum', stepAdjustment: steps },
      })
    // Step bounds are relative to the alarm threshold.
    this.scaleOut = policy('scale-out', 60, [
      { metricIntervalLowerBound: '0', metricIntervalUpperBound: String(backlog * 9), scalingAdjustment: 1 },
      { metricIntervalLowerBound: String(backlog * 9), scalingAdjustment: 3 },
    ])
    this.scaleIn = policy('scale-in', 300, [{ metricIntervalUpperBound: '0', scalingAdjustment: -1 }])

    const alarm = (alarmId: string, description: string, settings: { comparisonOperator: string; threshold: number; evaluationPeriods: number; treatMissingData: string; action: AppautoscalingPolicy }) =>
      new CloudwatchMetricAlarm(this, alarmId, {
        alarmName: `${props.name}-${alarmId}`,
        alarmDescription: description,
        namespace: 'AWS/SQS',
        metricName: 'ApproximateNumberOfMessagesVisible',
        dimensions: { QueueName: props.queue.name },
        statistic: 'Maximum',
        period: 60,
        evaluationPeriods: settings.evaluationPeriods,
        comparisonOperator: settings.comparisonOperator,
        threshold: settings.threshold,
        treatMissingData: settings.treatMissingData,
        alarmActions: [settings.action.arn],
      })
    alarm('backlog-high', `At least ${backlog} jobs waiting`, { comparisonOperator: 'GreaterThanOrEqualToThreshold', threshold: backlog, evaluationPeriods: 1, treatMissingData: 'notBreaching', action: this.scaleOut })
    alarm('queue-empty', 'No jobs waiting', {
      comparisonOperator: 'LessThanThreshold',
      threshold: 1,
      evaluationPeriods: scaleInAfterMinutes,
      // An idle queue stops reporting metrics; silence means there is nothing to do.
      treatMissingData: 'breaching',
      action: this.scaleIn,
    })
  }
}
