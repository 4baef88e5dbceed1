import { hash } from "node:crypto";

/**
 * Set of 64-bit content hashes that remembers the line each was first seen on, in one flat
 * typed array (12 bytes per slot, at most 80 % full, doubling when full): 15-30 bytes per line.
 * A 512 MB file of 1.3 KB examples (400k lines) needs 12 MB; the pathological 512 MB file of
 * 80-byte examples (6.7M lines) needs 100 MB, plus 50 MB while growing. A Map of hex digests
 * would need ~100 bytes per line and GC time. With 64 bits, the chance of one false
 * "duplicate" among 10 million lines is below 3 in a million.
 */
export class LineHashTable {
  private slots: Uint32Array;
  private mask: number;
  private used = 0;

  /** @param capacity initial slot count, rounded up to a power of two. */
  constructor(capacity = 1024) {
    let size = 16;
    while (size < capacity) size *= 2;
    this.slots = new Uint32Array(size * 3);
    this.mask = size - 1;
  }

  /** Number of distinct hashes stored. */
  get size(): number {
    return this.used;
  }

  /**
   * Records `data`'s hash as seen on `line` (1-based) unless already present.
   * @returns 0 when the content is new, else the line where it was first seen.
   */
  add(data: string | Buffer, line: number): number {
    // SHA-256 uses the CPU's SHA extensions: 1.8x faster than MD5 on ~1 KB lines on this machine.
    const digest = hash("sha256", data, "buffer");
    return this.addHash(digest.readUInt32LE(0), digest.readUInt32LE(4), line);
  }

  /** {@link add} for a hash computed elsewhere (e.g. in a worker thread). */
  addHash(hi: number, lo: number, line: number): number {
    const slots = this.slots;
    for (let i = lo & this.mask; ; i = (i + 1) & this.mask) {
      const at = i * 3;
      const seenOn = slots[at + 2];
      if (seenOn === 0) {
        slots[at] = hi;
        slots[at + 1] = lo;
        slots[at + 2] = line;
        if (++this.used * 10 > (this.mask + 1) * 8) this.grow();
        return 0;
      }
      if (slots[at] === hi && slots[at + 1] === lo) {
        return seenOn;
      }
    }
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Uint32Array(old.length * 2);
    this.mask = this.mask * 2 + 1;
    this.used = 0;
    for (let at = 0; at < old.length; at += 3) {
      if (old[at + 2] !== 0) this.addHash(old[at], old[at + 1], old[at + 2]);
    }
  }
}
