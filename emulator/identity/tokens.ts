/**
 * The emulator's token service: Microsoft Entra ID as far as a managed identity sees it. It signs
 * access tokens (ES256, see jwt.ts) for the audiences the program calls (ARM, the Azure OpenAI data plane,
 * Microsoft Graph) on behalf of configured principals, and verifies them for every plane.
 * Claims follow Entra v1 access tokens
 * (https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference).
 */
import { generateKeyPairSync, KeyObject, randomUUID } from "node:crypto";
import { JwtClaims, signJwt, verifyJwt } from "./jwt";

/** A principal the token service can issue tokens for (a managed identity). */
export interface Principal {
  /** Object id (`oid`), the id role assignments name. */
  readonly objectId: string;
  /** Application (client) id (`appid`, `client_id`). */
  readonly clientId: string;
  /** Display name, for messages and Graph. */
  readonly displayName: string;
}

/** Audiences the token service issues, by plane. Entra accepts each with or without "/". */
export const AUDIENCES = {
  arm: "https://management.azure.com/",
  dataPlane: "https://cognitiveservices.azure.com",
  foundry: "https://ai.azure.com",
  graph: "https://graph.microsoft.com",
} as const;

/**
 * ARM's allowed audiences, as its 401 lists them (observed: JetBrains/azure-tools-for-intellij#16,
 * Azure-Samples/active-directory-dotnetcore-daemon-v2#145).
 */
export const ARM_AUDIENCES = [
  "https://management.core.windows.net/",
  "https://management.core.windows.net",
  "https://management.azure.com/",
  "https://management.azure.com",
] as const;

/** Resources a token can be requested for, mapped to the `aud` the token carries. */
const RESOURCE_AUDIENCE: Readonly<Record<string, string>> = {
  "https://management.azure.com": AUDIENCES.arm,
  "https://management.core.windows.net": "https://management.core.windows.net/",
  "https://cognitiveservices.azure.com": AUDIENCES.dataPlane,
  "https://ai.azure.com": AUDIENCES.foundry,
  "https://graph.microsoft.com": AUDIENCES.graph,
};

/** Why a bearer token was refused. */
export type TokenProblem =
  | { readonly kind: "missing" }
  | { readonly kind: "invalid" }
  | { readonly kind: "expired"; readonly expiresOn: number; readonly now: number }
  | { readonly kind: "audience"; readonly audience: string };

/** Outcome of `verify`: the caller, or why the token was refused. */
export type TokenCheck =
  | { readonly ok: true; readonly principal: Principal; readonly claims: JwtClaims }
  | { readonly ok: false; readonly problem: TokenProblem };

/** An issued token, in the managed-identity endpoint's units. */
export interface IssuedToken {
  readonly accessToken: string;
  /** Unix seconds. */
  readonly expiresOn: number;
  readonly audience: string;
}

/** Options of the token service. */
export interface TokenServiceOptions {
  readonly tenantId: string;
  /** Token lifetime, seconds (Entra: 60–90 minutes for managed identities; default 3600). */
  readonly lifetimeSeconds?: number;
  /** Clock in ms since the epoch (default Date.now); tests move it to expire tokens. */
  readonly clock?: () => number;
}

/** Signs and verifies access tokens; one key per emulator start. */
export class TokenService {
  private readonly privateKey: KeyObject;
  private readonly publicKey: KeyObject;
  private readonly keyId = randomUUID();
  private readonly principals = new Map<string, Principal>();
  readonly tenantId: string;
  private readonly lifetimeSeconds: number;
  readonly clock: () => number;

  constructor(options: TokenServiceOptions) {
    const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    this.privateKey = privateKey;
    this.publicKey = publicKey;
    this.tenantId = options.tenantId;
    this.lifetimeSeconds = options.lifetimeSeconds ?? 3600;
    this.clock = options.clock ?? Date.now;
  }

  /** Registers a principal tokens can be issued for (replaces one with the same object id). */
  addPrincipal(principal: Principal): Principal {
    this.principals.set(principal.objectId, principal);
    return principal;
  }

  /** The principal with this object id or client id. */
  findPrincipal(id: string): Principal | undefined {
    return this.principals.get(id) ?? [...this.principals.values()].find((p) => p.clientId === id);
  }

  /** The audience a token for `resource` (or a `<resource>/.default` scope) carries, if known. */
  audienceFor(resource: string): string | undefined {
    const bare = resource.replace(/\/\.default$/, "").replace(/\/+$/, "");
    return RESOURCE_AUDIENCE[bare.toLowerCase()];
  }

  /** Issues a token for `principal` with audience `audience` (no check that it is known). */
  issue(principal: Principal, audience: string): IssuedToken {
    const now = Math.floor(this.clock() / 1000);
    const expiresOn = now + this.lifetimeSeconds;
    const claims = {
      aud: audience,
      iss: `https://sts.windows.net/${this.tenantId}/`,
      iat: now,
      nbf: now,
      exp: expiresOn,
      appid: principal.clientId,
      appidacr: "2",
      idp: `https://sts.windows.net/${this.tenantId}/`,
      idtyp: "app",
      oid: principal.objectId,
      sub: principal.objectId,
      tid: this.tenantId,
      uti: randomUUID().replace(/-/g, ""),
      ver: "1.0",
    };
    return { accessToken: signJwt(claims, this.privateKey, this.keyId), expiresOn, audience };
  }

  /**
   * The data plane's pluggable bearer check (`startEmulator({ verifyBearer })`): genuine and
   * unexpired, with the token's audience; the data plane checks the audience itself.
   */
  bearerVerifier(): (token: string) => { ok: boolean; audience?: string } {
    return (token) => {
      const claims = verifyJwt(token, this.publicKey);
      const now = Math.floor(this.clock() / 1000);
      const ok = !!claims && typeof claims.exp === "number" && claims.exp > now;
      return { ok, audience: typeof claims?.aud === "string" ? claims.aud : undefined };
    };
  }

  /**
   * Checks an `Authorization` header value: a token signed by this service, not expired,
   * for one of `audiences`, of a known principal.
   */
  verify(authorization: string | undefined, audiences: readonly string[]): TokenCheck {
    const match = authorization ? /^Bearer\s+(\S+)\s*$/i.exec(authorization) : null;
    if (!match) {
      return { ok: false, problem: { kind: "missing" } };
    }
    const claims = verifyJwt(match[1], this.publicKey);
    if (!claims || typeof claims.oid !== "string" || typeof claims.exp !== "number") {
      return { ok: false, problem: { kind: "invalid" } };
    }
    const now = Math.floor(this.clock() / 1000);
    if (claims.exp <= now) {
      return { ok: false, problem: { kind: "expired", expiresOn: claims.exp, now } };
    }
    const audience = String(claims.aud);
    if (!audiences.includes(audience)) {
      return { ok: false, problem: { kind: "audience", audience } };
    }
    const principal = this.principals.get(claims.oid);
    return principal
      ? { ok: true, principal, claims }
      : { ok: false, problem: { kind: "invalid" } };
  }
}
