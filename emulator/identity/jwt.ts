/**
 * Compact JWTs signed with ES256 (RFC 7515, RFC 7518 section 3.4: ECDSA P-256, raw r||s signature).
 * Entra ID signs with RS256, but no client inspects the algorithm and an RSA key takes up to a
 * second to generate on a busy machine, which the emulator's start cannot afford; P-256 keys are
 * instant. node:crypto does the signing; no library is needed for one algorithm.
 */
import { KeyObject, sign, verify } from "node:crypto";

/** Claims of an access token (the subset the emulator issues and reads). */
export type JwtClaims = Readonly<Record<string, unknown>>;

function base64url(data: Buffer | string): string {
  return Buffer.from(data).toString("base64url");
}

/** Signs `claims` with the P-256 `privateKey` (ES256), header `kid` = `keyId`. */
export function signJwt(claims: JwtClaims, privateKey: KeyObject, keyId: string): string {
  const header = base64url(JSON.stringify({ typ: "JWT", alg: "ES256", kid: keyId }));
  const payload = base64url(JSON.stringify(claims));
  const signature = sign("sha256", Buffer.from(`${header}.${payload}`), {
    key: privateKey,
    dsaEncoding: "ieee-p1363",
  });
  return `${header}.${payload}.${base64url(signature)}`;
}

/**
 * The claims of `token` when its ES256 signature verifies with `publicKey`; undefined when it is
 * not a JWT, uses another algorithm or was not signed by this key.
 */
export function verifyJwt(token: string, publicKey: KeyObject): JwtClaims | undefined {
  const parts = token.split(".");
  if (parts.length !== 3) {
    return undefined;
  }
  try {
    const header = JSON.parse(Buffer.from(parts[0], "base64url").toString("utf8")) as {
      alg?: unknown;
    };
    if (header.alg !== "ES256") {
      return undefined;
    }
    const valid = verify(
      "sha256",
      Buffer.from(`${parts[0]}.${parts[1]}`),
      { key: publicKey, dsaEncoding: "ieee-p1363" },
      Buffer.from(parts[2], "base64url"),
    );
    if (!valid) {
      return undefined;
    }
    const claims: unknown = JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8"));
    return typeof claims === "object" && claims !== null ? (claims as JwtClaims) : undefined;
  } catch {
    return undefined;
  }
}
