/**
 * Compact JWTs signed with RS256 (RFC 7515/7519), the algorithm Microsoft Entra ID signs access
 * tokens with. node:crypto does the signing; no library is needed for one algorithm.
 */
import { createSign, createVerify, KeyObject } from "node:crypto";

/** Claims of an access token (the subset the emulator issues and reads). */
export type JwtClaims = Readonly<Record<string, unknown>>;

function base64url(data: Buffer | string): string {
  return Buffer.from(data).toString("base64url");
}

/** Signs `claims` with `privateKey` (RS256), header `kid` = `keyId`. */
export function signJwt(claims: JwtClaims, privateKey: KeyObject, keyId: string): string {
  const header = base64url(JSON.stringify({ typ: "JWT", alg: "RS256", kid: keyId }));
  const payload = base64url(JSON.stringify(claims));
  const signature = createSign("RSA-SHA256").update(`${header}.${payload}`).sign(privateKey);
  return `${header}.${payload}.${base64url(signature)}`;
}

/**
 * The claims of `token` when its RS256 signature verifies with `publicKey`; undefined when it is
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
    if (header.alg !== "RS256") {
      return undefined;
    }
    const valid = createVerify("RSA-SHA256")
      .update(`${parts[0]}.${parts[1]}`)
      .verify(publicKey, Buffer.from(parts[2], "base64url"));
    if (!valid) {
      return undefined;
    }
    const claims: unknown = JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8"));
    return typeof claims === "object" && claims !== null ? (claims as JwtClaims) : undefined;
  } catch {
    return undefined;
  }
}
