import 'express-session';

declare module 'express-session' {
  interface SessionData {
    userId?: string;
    /** Epoch ms of sign-in, for the absolute timeout. */
    signedInAt?: number;
    csrfToken?: string;
    flash?: { kind: 'info' | 'error'; key: string }[];
  }
}
