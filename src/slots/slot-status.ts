/**
 * The life of an internship slot, checked in one place. `full` is derived from active placements
 * versus capacity (the placements issue); it is entered and left automatically, never by hand.
 */
export const SLOT_STATUSES = [
  'draft',
  'awaiting_confirmation',
  'open',
  'full',
  'paused',
  'closed',
] as const;
export type SlotStatus = (typeof SLOT_STATUSES)[number];

/** Why a status changes: a person's action, the supervisor's answer, or the system. */
export type SlotTransitionCause = 'user' | 'supervisor' | 'system';

const TRANSITIONS: Record<SlotStatus, Partial<Record<SlotStatus, SlotTransitionCause[]>>> = {
  draft: { awaiting_confirmation: ['user'], closed: ['user'] },
  awaiting_confirmation: {
    open: ['supervisor', 'user'],
    draft: ['user', 'supervisor'],
    paused: ['user', 'system'],
    closed: ['user', 'supervisor'],
  },
  open: {
    full: ['system'],
    paused: ['user', 'system', 'supervisor'],
    closed: ['user', 'supervisor'],
    awaiting_confirmation: ['user', 'system'],
  },
  full: { open: ['system'], paused: ['user', 'supervisor'], closed: ['user', 'supervisor'] },
  paused: {
    open: ['user', 'supervisor'],
    awaiting_confirmation: ['user'],
    closed: ['user', 'supervisor'],
  },
  closed: {},
};

/** The statuses a slot may move to from `from`, by this cause. */
export function allowedTransitions(
  from: SlotStatus,
  cause: SlotTransitionCause = 'user',
): SlotStatus[] {
  return (Object.entries(TRANSITIONS[from]) as [SlotStatus, SlotTransitionCause[]][])
    .filter(([, causes]) => causes.includes(cause))
    .map(([to]) => to);
}

export function canTransition(
  from: SlotStatus,
  to: SlotStatus,
  cause: SlotTransitionCause = 'user',
): boolean {
  return allowedTransitions(from, cause).includes(to);
}

/** Open or full follows from capacity; other statuses are kept. */
export function statusForOccupancy(
  status: SlotStatus,
  occupied: number,
  capacity: number,
): SlotStatus {
  if (status === 'open' && occupied >= capacity) {
    return 'full';
  }
  if (status === 'full' && occupied < capacity) {
    return 'open';
  }
  return status;
}

export const MAX_WEEKS = 26;
