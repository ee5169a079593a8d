import type { GitHubSeed } from '../../connectors/github/simulator.js';

/** PR #42 on acme/checkout: Sam asked Priya for a review on Monday 16 Nov 2026, 10:00 UTC. */
export function reviewRequestedSeed(): GitHubSeed {
  return {
    users: [
      { login: 'jbecker', name: 'Jonas Becker' },
      { login: 'priya-r', name: 'Priya Raman' },
      { login: 'samiyer', name: 'Sam Iyer' },
    ],
    repos: [
      {
        full_name: 'acme/checkout',
        pulls: [
          {
            number: 42,
            title: 'CHK-12 Apple Pay button on Safari',
            user: { login: 'samiyer' },
            head: { ref: 'feature/CHK-12-apple-pay' },
            base: { ref: 'main' },
            created_at: '2026-11-16T09:00:00Z',
            updated_at: '2026-11-16T10:00:00Z',
            requested_reviewers: [{ login: 'priya-r' }],
          },
        ],
        timelines: {
          '42': [
            {
              event: 'review_requested',
              id: 9001,
              actor: { login: 'samiyer' },
              requested_reviewer: { login: 'priya-r' },
              created_at: '2026-11-16T10:00:00Z',
            },
          ],
        },
      },
    ],
  };
}
