import { AppautoscalingPolicy } from '@cdktf/provider-aws/lib/appautoscaling-policy/index.js'
import { AppautoscalingTarget } from '@cdktf/provider-aws/lib/appautoscaling-target/index.js'
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm/index.js'
import { EcsCluster } from '@cdktf/provider-aws/lib/ecs-cluster/index.js'
import { EcsService } from '@cdktf/provider-aws/lib/ecs-service/index.js'
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue/index.js'
import { describe, expect, it } from '@jest/globals'
import { QueueBacklogScaling, type QueueBacklogScalingProps } from '../../../stacks/constructs/queue-backlog-scaling.js'
import { ref, resources, synthConstruct } from './synth-construct.js'

function synthScaling(props: Partial<QueueBacklogScalingProps> = {}) {
  return synthConstruct((scope) => {
    const cluster = new EcsCluster(scope, 'cluster', { name: 'taskoverflow' })
    const service = new EcsService(scope, 'worker', { name: 'taskoverflow-worker' })
    const queue = new SqsQueue(scope, 'jobs', { name: 'jobs' })
    return { cluster, service, queue, scaling: new QueueBacklogScaling(scope, 'scaling', { name: 'taskoverflow-worker', cluster, service, queue, minTasks: 1, maxTasks: 4, ...props }) }
  })
}
/** An alarm by its name's end: `backlog-high`, `queue-empty`. */
const alarm = (synthesized: string, name: string) => Object.values(resources(synthesized, 'aws_cloudwatch_metric_alarm')).find((a) => a.alarm_name === `taskoverflow-worker-${name}`)
/** A step policy's steps, in order. */
const steps = (synthesized: string, name: string) =>
  Object.values(resources(synthesized, 'aws_appautoscaling_policy')).find((p) => p.name === `taskoverflow-worker-${name}`).step_scaling_policy_configuration.step_adjustment

describe('QueueBacklogScaling', () => {
  const { synthesized, made } = synthScaling()

  it("scales the service's desired count between the minimum and the maximum", () => {
    expect(synthesized).toHaveResourceWithProperties(AppautoscalingTarget, {
      service_namespace: 'ecs',
      scalable_dimension: 'ecs:service:DesiredCount',
      resource_id: `service/${ref(made.cluster, 'name')}/${ref(made.service, 'name')}`,
      min_capacity: 1,
      max_capacity: 4,
    })
  })

  it('adds a task once 50 jobs wait, and three once ten times as many do, at most once a minute', () => {
    const backlogHigh = alarm(synthesized, 'backlog-high')
    expect(backlogHigh).toMatchObject({ comparison_operator: 'GreaterThanOrEqualToThreshold', threshold: 50, evaluation_periods: 1, treat_missing_data: 'notBreaching', alarm_actions: [ref(made.scaling.scaleOut, 'arn')] })
    expect(steps(synthesized, 'scale-out')).toEqual([
      { metric_interval_lower_bound: '0', metric_interval_upper_bound: '450', scaling_adjustment: 1 },
      { metric_interval_lower_bound: '450', scaling_adjustment: 3 },
    ])
    expect(synthesized).toHaveResourceWithProperties(AppautoscalingPolicy, {
      name: 'taskoverflow-worker-scale-out',
      policy_type: 'StepScaling',
      service_namespace: ref(made.scaling.target, 'service_namespace'),
      scalable_dimension: ref(made.scaling.target, 'scalable_dimension'),
      resource_id: ref(made.scaling.target, 'resource_id'),
      step_scaling_policy_configuration: expect.objectContaining({ adjustment_type: 'ChangeInCapacity', cooldown: 60, metric_aggregation_type: 'Maximum' }),
    })
  })

  it('removes one task at a time once the queue has been empty for 5 minutes, silence counting as empty', () => {
    expect(alarm(synthesized, 'queue-empty')).toMatchObject({ comparison_operator: 'LessThanThreshold', threshold: 1, evaluation_periods: 5, treat_missing_data: 'breaching', alarm_actions: [ref(made.scaling.scaleIn, 'arn')] })
    expect(steps(synthesized, 'scale-in')).toEqual([{ metric_interval_upper_bound: '0', scaling_adjustment: -1 }])
    expect(synthesized).toHaveResourceWithProperties(AppautoscalingPolicy, { name: 'taskoverflow-worker-scale-in', step_scaling_policy_configuration: expect.objectContaining({ cooldown: 300 }) })
  })

  it("watches the queue's visible messages, the highest of each minute", () => {
    for (const name of ['backlog-high', 'queue-empty']) {
      expect(alarm(synthesized, name)).toMatchObject({ namespace: 'AWS/SQS', metric_name: 'ApproximateNumberOfMessagesVisible', dimensions: { QueueName: ref(made.queue, 'name') }, statistic: 'Maximum', period: 60 })
    }
    expect(synthesized).toHaveResourceWithProperties(CloudwatchMetricAlarm, { alarm_name: 'taskoverflow-worker-backlog-high', alarm_description: 'At least 50 jobs waiting' })
  })

  it('with no worker running, starts one for the first job waiting', () => {
    const idle = synthScaling({ minTasks: 0 }).synthesized
    expect(idle).toHaveResourceWithProperties(AppautoscalingTarget, { min_capacity: 0 })
    expect(alarm(idle, 'backlog-high')).toMatchObject({ threshold: 1 })
    expect(steps(idle, 'scale-out')[0]).toMatchObject({ metric_interval_upper_bound: '9' })
  })

  it('scales out at the backlog and scales in after the minutes it is told', () => {
    const tuned = synthScaling({ scaleOutBacklog: 20, scaleInAfterMinutes: 15 }).synthesized
    expect(alarm(tuned, 'backlog-high')).toMatchObject({ threshold: 20, alarm_description: 'At least 20 jobs waiting' })
    expect(steps(tuned, 'scale-out').map((step: any) => step.metric_interval_upper_bound ?? step.metric_interval_lower_bound)).toEqual(['180', '180'])
    expect(alarm(tuned, 'queue-empty')).toMatchObject({ evaluation_periods: 15 })
  })

  it('accepts a range of one size, and an idle service scaling out at one job', () => {
    expect(synthScaling({ minTasks: 3, maxTasks: 3 }).synthesized).toHaveResourceWithProperties(AppautoscalingTarget, { min_capacity: 3, max_capacity: 3 })
    expect(alarm(synthScaling({ minTasks: 0, scaleOutBacklog: 1 }).synthesized, 'backlog-high')).toMatchObject({ threshold: 1 })
  })

  it('refuses a minimum above the maximum, naming both', () => {
    expect(() => synthScaling({ minTasks: 5, maxTasks: 2 })).toThrow('QueueBacklogScaling: need 0 <= minTasks (5) <= maxTasks (2) and maxTasks >= 1')
  })

  it('refuses a negative minimum, and a maximum of no task', () => {
    expect(() => synthScaling({ minTasks: -1 })).toThrow('QueueBacklogScaling: need 0 <= minTasks (-1) <= maxTasks (4) and maxTasks >= 1')
    expect(() => synthScaling({ minTasks: 0, maxTasks: 0 })).toThrow('QueueBacklogScaling: need 0 <= minTasks (0) <= maxTasks (0) and maxTasks >= 1')
  })

  // Application Auto Scaling counts whole tasks; a backlog below one job would always alarm.
  it.each([
    [{ minTasks: 0.5 }, 'minTasks must be a whole number, not 0.5'],
    [{ maxTasks: 2.5 }, 'maxTasks must be a whole number, not 2.5'],
    [{ scaleOutBacklog: 0 }, 'scaleOutBacklog must be a whole number of jobs from 1, not 0'],
    [{ scaleOutBacklog: 2.5 }, 'scaleOutBacklog must be a whole number of jobs from 1, not 2.5'],
  ])('refuses %j', (props, message) => {
    expect(() => synthScaling(props)).toThrow(`QueueBacklogScaling: ${message}`)
  })

  // CloudWatch evaluates an alarm over at most a day: its periods (a minute here) times their count.
  it.each([0, 1.5, 1441])('refuses to scale in after %p minutes: a whole number from 1 to 1440', (scaleInAfterMinutes) => {
    expect(() => synthScaling({ scaleInAfterMinutes })).toThrow(`QueueBacklogScaling: scaleInAfterMinutes must be a whole number from 1 to 1440 (a day), not ${scaleInAfterMinutes}`)
  })

  it('scales in after as long as a day', () => {
    expect(() => synthScaling({ scaleInAfterMinutes: 1440 })).not.toThrow()
  })

  it('refuses to wait for more than one job when no worker may be running, which would leave a few jobs waiting forever', () => {
    expect(() => synthScaling({ minTasks: 0, scaleOutBacklog: 5 })).toThrow('QueueBacklogScaling: with minTasks 0, one waiting job must start a worker (scaleOutBacklog 1, not 5)')
  })
})
