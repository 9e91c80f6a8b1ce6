/** Queue and job names: constants, never strings scattered in code. */
export enum QueueName {
  System = 'system',
  /** Outgoing email: one job per outbox row (`{ outboxId }`), plus the sweeper. */
  Mail = 'mail',
}

export enum JobName {
  Heartbeat = 'heartbeat',
  /** Decide, then send one outbox row. Data: `{ outboxId }`, jobId `mail:<outboxId>`. */
  SendMail = 'send-mail',
  /** The relay's safety net: re-enqueues stale rows, flags rows stuck in `sending`. */
  SweepMail = 'sweep-mail',
  /** Scheduled scans that write reminder rows to the outbox (src/reminders). */
  ReminderNextSteps = 'reminder-next-steps',
  ReminderClaimsExpiring = 'reminder-claims-expiring',
}
