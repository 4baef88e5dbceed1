import { createHash } from "node:crypto";

/**
 * A name-based GUID (RFC 4122 version 5 layout over SHA-1) from the given parts. Role
 * assignment names must be GUIDs; deriving them from scope, principal and role makes a re-run
 * address the same assignment instead of failing with RoleAssignmentExists.
 */
export function deterministicGuid(...parts: string[]): string {
  const bytes = createHash("sha1").update(parts.join("\u0000")).digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The account's custom subdomain (and account name): `<prefix>-<environment>-<8 hex>`, the hex
 * derived from subscription, project and stack. Subdomains are global across Azure, so the hash
 * keeps two subscriptions' `dev` stacks apart while the same stack always gets the same name.
 */
export function accountSubdomain(prefix: string, environment: string, ...seed: string[]): string {
  const hash = createHash("sha256").update(seed.join("/")).digest("hex").slice(0, 8);
  return `${prefix}-${environment}-${hash}`.toLowerCase().slice(0, 63);
}
