import { Injectable } from '@nestjs/common';

/** Injected everywhere time matters, so tests can move time (DESIGN §3 rule 8). */
@Injectable()
export class Clock {
  private offsetMs = 0;
  private frozen: Date | null = null;

  now(): Date {
    return this.frozen ? new Date(this.frozen) : new Date(Date.now() + this.offsetMs);
  }

  /** Test helper: shift time forward (or back) by ms. */
  advance(ms: number): void {
    if (this.frozen) {
      this.frozen = new Date(this.frozen.getTime() + ms);
    } else {
      this.offsetMs += ms;
    }
  }

  /** Test helper: stop time at a given instant (null to let it run again). */
  freeze(at: Date | null): void {
    this.frozen = at;
  }

  reset(): void {
    this.offsetMs = 0;
    this.frozen = null;
  }
}
