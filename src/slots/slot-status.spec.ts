import fc from 'fast-check';
import {
  allowedTransitions,
  canTransition,
  SLOT_STATUSES,
  statusForOccupancy,
} from './slot-status';

describe('slot status lifecycle', () => {
  it('follows draft → awaiting confirmation → open → paused → closed', () => {
    expect(canTransition('draft', 'awaiting_confirmation')).toBe(true);
    expect(canTransition('awaiting_confirmation', 'open', 'supervisor')).toBe(true);
    expect(canTransition('open', 'paused')).toBe(true);
    expect(canTransition('paused', 'open')).toBe(true);
    expect(canTransition('paused', 'closed')).toBe(true);
  });

  it('never lets a person set or leave "full" by hand', () => {
    expect(canTransition('open', 'full', 'user')).toBe(false);
    expect(canTransition('full', 'open', 'user')).toBe(false);
    expect(canTransition('open', 'full', 'system')).toBe(true);
  });

  it('keeps closed slots closed', () => {
    for (const to of SLOT_STATUSES) {
      expect(canTransition('closed', to, 'user')).toBe(false);
      expect(canTransition('closed', to, 'system')).toBe(false);
    }
  });

  it('does not open a draft without confirmation', () => {
    expect(canTransition('draft', 'open')).toBe(false);
    expect(allowedTransitions('draft')).toEqual(['awaiting_confirmation', 'closed']);
  });

  it('lists exactly the transitions canTransition accepts', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...SLOT_STATUSES),
        fc.constantFrom(...SLOT_STATUSES),
        fc.constantFrom('user', 'supervisor', 'system' as const),
        (from, to, cause) => {
          expect(allowedTransitions(from, cause).includes(to)).toBe(canTransition(from, to, cause));
        },
      ),
    );
  });

  it('derives full from occupancy and back', () => {
    expect(statusForOccupancy('open', 2, 2)).toBe('full');
    expect(statusForOccupancy('full', 1, 2)).toBe('open');
    expect(statusForOccupancy('paused', 5, 2)).toBe('paused');
    fc.assert(
      fc.property(
        fc.constantFrom(...SLOT_STATUSES),
        fc.nat(10),
        fc.integer({ min: 1, max: 10 }),
        (s, occ, cap) => {
          const next = statusForOccupancy(s, occ, cap);
          if (s === 'open' || s === 'full') {
            expect(next).toBe(occ >= cap ? 'full' : 'open');
          } else {
            expect(next).toBe(s);
          }
        },
      ),
    );
  });
});
