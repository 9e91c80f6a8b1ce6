/** Queue and job names: constants, never strings scattered in code. */
export enum QueueName {
  System = 'system',
}

export enum JobName {
  Heartbeat = 'heartbeat',
}
