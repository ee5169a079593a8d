import { createPublicKey, createVerify, type KeyObject, randomBytes } from 'node:crypto';

export interface SimAppOptions {
  appId: number | string;
  /** The App's private key (PEM); the simulator verifies JWTs with its public half. */
  privateKey: string;
  installationId: number;
  /** Lifetime of installation tokens; GitHub's is one hour. */
  tokenTtlSec?: number;
  /** Login comments are posted as, e.g. `baton[bot]`. */
  botLogin?: string;
}

/**
 * GitHub App authentication: a JWT (RS256, `iss` = App id) buys an installation token at
 * `POST /app/installations/{id}/access_tokens`; tokens expire after `tokenTtlSec`.
 */
export class InstallationTokens {
  readonly issued: { token: string; expiresAt: number }[] = [];
  private readonly publicKey: KeyObject;

  constructor(
    readonly app: SimAppOptions,
    private readonly clock: () => number = Date.now,
  ) {
    this.publicKey = createPublicKey(app.privateKey);
  }

  verifyJwt(jwt: string): boolean {
    const [header, payload, signature] = jwt.split('.');
    if (!header || !payload || !signature) return false;
    try {
      const { alg } = JSON.parse(Buffer.from(header, 'base64url').toString('utf8'));
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
      const verifier = createVerify('RSA-SHA256').update(`${header}.${payload}`);
      return (
        alg === 'RS256' &&
        verifier.verify(this.publicKey, Buffer.from(signature, 'base64url')) &&
        String(claims.iss) === String(this.app.appId) &&
        claims.exp * 1000 > this.clock()
      );
    } catch {
      return false;
    }
  }

  issue(): { token: string; expires_at: string } {
    const token = `ghs_${randomBytes(18).toString('hex')}`;
    const expiresAt = this.clock() + (this.app.tokenTtlSec ?? 3600) * 1000;
    this.issued.push({ token, expiresAt });
    return { token, expires_at: `${new Date(expiresAt).toISOString().slice(0, 19)}Z` };
  }

  valid(token: string): boolean {
    return this.issued.some((t) => t.token === token && t.expiresAt > this.clock());
  }
}
