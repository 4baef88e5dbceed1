/**
 * Autonaming as the real providers do it: the logical name plus random characters, derived from
 * the engine's per-resource random seed so that a preview and the following update, and every
 * later Check, propose the same name (pulumi/pulumi sdk/go/common/resource/resource_id.go
 * NewUniqueName; the characters differ from the Go implementation's, the length and
 * determinism do not).
 */
import { createHash, randomBytes } from "node:crypto";

/** `prefix` + `length` lowercase hex characters, deterministic for a non-empty seed. */
export function uniqueName(seed: Uint8Array, prefix: string, length = 8): string {
  const source = seed.length > 0 ? Buffer.from(seed) : randomBytes(32);
  return prefix + createHash("sha256").update(source).digest("hex").slice(0, length);
}
