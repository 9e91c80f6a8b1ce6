export const ROLES = ['admin', 'recruiter', 'coordinator', 'supervisor'] as const;
export type Role = (typeof ROLES)[number];
