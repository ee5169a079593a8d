import { z } from 'zod';

/**
 * Settings of a `kind: drive` connection in baton.yaml. Secrets arrive as plain strings
 * (Baton resolves `${VAR}` before validation) and are never logged.
 */

const ServiceAccountAuth = z.strictObject({
  serviceAccount: z.strictObject({
    /** The service account key: the JSON itself, or a path to the JSON file. */
    keyJson: z.string().min(1),
    /** The Workspace user the service account acts as (domain-wide delegation). */
    subject: z.email(),
  }),
});

const OAuthAuth = z.strictObject({
  oauth: z.strictObject({
    clientId: z.string().min(1),
    clientSecret: z.string().min(1),
    refreshToken: z.string().min(1),
  }),
});

/**
 * A bearer token used as is, never refreshed: for the simulator and tests (Google's token
 * endpoint is fixed inside google-auth-library's JWT flow, so the simulator cannot stand in for it).
 */
const AccessTokenAuth = z.strictObject({ accessToken: z.string().min(1) });

export const DriveAuth = z.union([ServiceAccountAuth, OAuthAuth, AccessTokenAuth]);
export type DriveAuth = z.infer<typeof DriveAuth>;

/** Settings may come through `${VAR}` as strings: `"false"` must mean false. */
const flag = z.union([z.boolean(), z.stringbool()]);

/** Drive ids are URL-safe; refusing anything else keeps them safe inside `files.list` queries. */
const driveId = z.string().regex(/^[A-Za-z0-9_-]+$/, 'a Drive folder or shared drive id');

export const DriveConfig = z
  .strictObject({
    auth: DriveAuth,
    rootUrl: z
      .url()
      .default('https://www.googleapis.com/')
      .transform((url) => (url.endsWith('/') ? url : `${url}/`)),
    /** Folder ids in scope: every file anywhere below them belongs to the plan. */
    folders: z.array(driveId).default([]),
    /** Shared drive ids in scope (a shared drive's id is also the id of its root folder). */
    sharedDrives: z.array(driveId).default([]),
    /** Per-connection secret Drive echoes in X-Goog-Channel-Token on every notification. */
    channelToken: z.string().min(16).max(256).optional(),
    /** Read Drive approvals (a Workspace feature); a 403/404 answer turns them off and says so. */
    approvals: flag.default(true),
    /** Lifetime asked for a push channel; Drive caps changes channels at one week. */
    channelTtlHours: z.coerce.number().positive().max(168).default(24),
    /**
     * Post alerts as file comments. Needs the `drive` scope (comments.create accepts only `drive`
     * or `drive.file`, and `drive.file` covers only files Baton itself created); false keeps
     * Baton read-only with `drive.readonly`.
     */
    commentAlerts: flag.default(true),
    /** files.list page size (Drive allows up to 1000). */
    pageSize: z.coerce.number().int().min(1).max(1000).default(200),
  })
  .refine((c) => c.folders.length + c.sharedDrives.length > 0, {
    message: 'name at least one folder or shared drive in scope',
    path: ['folders'],
  });
export type DriveConfig = z.infer<typeof DriveConfig>;

export const SCOPE_READONLY = 'https://www.googleapis.com/auth/drive.readonly';
export const SCOPE_FULL = 'https://www.googleapis.com/auth/drive';

/** The one scope a service account asks for: the smallest that covers what the config uses. */
export function scopesFor(config: DriveConfig): string[] {
  return [config.commentAlerts ? SCOPE_FULL : SCOPE_READONLY];
}

/** Ids whose subtrees are in scope: the configured folders and the shared drives' root folders. */
export function scopeRoots(config: DriveConfig): string[] {
  return [...new Set([...config.folders, ...config.sharedDrives])];
}

export function usesSharedDrives(config: DriveConfig): boolean {
  return config.sharedDrives.length > 0;
}
