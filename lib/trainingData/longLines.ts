/**
 * A byte-level pre-scan of long JSONL lines, so a line that cannot fit any model's token limit is
 * refused without buffering, decoding, parsing or tokenizing it: a 60 MB line took 487 MB of
 * peak RSS and 96 s on the full path, while the validator promises 256 MB for any content.
 *
 * The scan checks UTF-8 and JSON syntax and sums a lower bound of the tokens of the text the
 * rules count (rules.ts): message `content` strings and `{"type": "text"}` parts, of messages
 * whose role the format allows, assistants' tool-call arguments, and tool definitions (see
 * {@link LongLineScanner.tools}). No o200k_base token is longer than 128 bytes (the longest is
 * 128 spaces; see {@link LONGEST_TOKEN_BYTES}), so a text of n UTF-8 bytes is at least ⌈n / 128⌉
 * tokens. Other counted text (names, roles, framing) only adds to the exact count.
 *
 * The line's bytes may be dropped as soon as that bound, counted optimistically while a message
 * is still open, exceeds the limit (`crossed`); the verdict at the end of the line uses only the
 * text that really counts. Whether bytes are dropped depends on the content alone, not on how it
 * was cut into chunks, so the streaming and in-memory validators report the same.
 *
 * Over 400 lines because it is one byte-at-a-time state machine (UTF-8, JSON grammar, the few
 * paths that count), whose states share the scanner's fields; split, each part would need them all.
 */
import { isUtf8 } from "node:buffer";
import { CHAT_KEYS, PREFERENCE_INPUT_KEYS, PREFERENCE_KEYS } from "./rules";

/**
 * Bytes of o200k_base's longest token (128 spaces): measured over every line of the
 * o200k_base.tiktoken file that gpt-tokenizer ships (the file tiktoken downloads from
 * https://openaipublic.blob.core.windows.net/encodings/o200k_base.tiktoken); a test re-checks it.
 */
export const LONGEST_TOKEN_BYTES = 128;

/** Reason for a BOM at the start of a line other than the first (shared with lineAnalysis.ts). */
export const BOM_LINE_REASON =
  "starts with a byte-order mark; only the first line of a file may have one (were files concatenated?)";

/** Reason for invalid UTF-8: byte `b` at offset `at` of the line (shared with lineAnalysis.ts). */
export function invalidUtf8Reason(b: number, at: number): string {
  return `is not valid UTF-8 (byte ${hexOf(b)} at byte ${at + 1} of the line); save the file as UTF-8`;
}

const NUMBER = new Intl.NumberFormat("en-US");

// Grammar states.
const VALUE = 0; // a value is expected
const ARRAY_FIRST = 1; // after "[": a value or "]"
const KEY_FIRST = 2; // after "{": a key or "}"
const KEY = 3; // after "," in an object
const COLON = 4;
const AFTER = 5; // after a value: "," or the container's close
const STRING = 6;
const ESCAPE = 7;
const HEX = 8;
const NUMBER_STATE = 9;
const LITERAL = 10;
const END = 11; // the top-level value is complete

// What a container or string is, for counting. Only the first levels matter.
const OTHER = 0;
const TOP = 1;
const INPUT = 2; // the preference "input" object
const MESSAGES = 3; // a message array (group in `group`)
const MESSAGE = 4;
const PARTS = 5; // a message's content array
const PART = 6;
const COUNTED = 7; // a string whose text counts (message content, text part)
const CAPTURED = 8; // a short string read for its value (role, part type)
const CALLS = 9; // an assistant's "tool_calls"
const CALL = 10;
const FUNCTION = 11; // a tool call's "function", or a legacy "function_call"
const IMAGE = 12; // an image part's "image_url"
const TOOLS = 13; // a "tools" / "functions" array (its slot in `group`, see LongLineScanner.tools)
const TOOL_PART = 14; // an object or array inside one
const TOOL_TEXT = 15; // a key or string inside one

// Message groups: chat "messages", DPO "input.messages", "preferred_output", "non_preferred_output".
const GROUP_KEYS = ["messages", "preferred_output", "non_preferred_output"];
const CHAT_ROLES = ["system", "user", "assistant", "tool", "function"];
const INPUT_ROLES = ["system", "user", "assistant", "tool"];
const OUTPUT_ROLES = ["assistant", "tool"];
const ROLES_BY_GROUP = [CHAT_ROLES, INPUT_ROLES, OUTPUT_ROLES, OUTPUT_ROLES];

/** One open object or array at a level where counting needs to know it. */
interface Frame {
  kind: number;
  group: number;
  /** Lower-bound tokens of the counted text inside, not yet committed. */
  pending: number;
  /** The same for a message's tool calls, which count for assistant messages only. */
  calls: number;
  /**
   * Tool definitions (TOOLS, TOOL_PART): decoded UTF-8 bytes of the keys and strings inside, not
   * yet committed; in an object, of the member being read (its earlier members are in `members`).
   */
  bytes: number;
  /** An object's earlier members' bytes by key bucket (see LongLineScanner.endMember), or undefined. */
  members: Float64Array | undefined;
  /** The sum of `members`. */
  settled: number;
  /** Bucket of the member being read, or -1. */
  member: number;
  /** Role (messages) or type (parts), when read. */
  tag: string | undefined;
  /** Keys that matter here, to notice one repeated (JSON.parse keeps only the last value). */
  keys: Set<string>;
  repeated: boolean;
}

const RELEVANT_KEYS: Record<number, string[]> = {
  [TOP]: ["messages", "input", "preferred_output", "non_preferred_output"],
  [INPUT]: ["messages"],
  [MESSAGE]: ["role", "content", "tool_calls", "function_call"],
  [PART]: ["type", "text"],
  [CALL]: ["function"],
  [FUNCTION]: ["arguments"],
};
/**
 * Top-level keys whose values rules.ts reads (the other values are read by no rule: see
 * {@link LongLineScanner.unreadValues}).
 */
const READ_TOP_KEYS = new Set([...CHAT_KEYS, ...PREFERENCE_KEYS]);
/**
 * Levels with a frame: the deepest counted message string is a tool call's arguments in
 * "input.messages" (7); tool definitions (JSON Schemas) nest deeper, and their text below this
 * level is left out of the bound, which stays a lower bound.
 */
const MAX_FRAMES = 16;
/** Key buckets per object in a tool definition (see LongLineScanner.endMember). */
const MEMBER_BUCKETS = 64;
/** Keys and captured values longer than this match nothing the scan looks for. */
const MAX_CAPTURE = 32;

/** The scan's result for a whole line. */
export interface LongLineVerdict {
  /** The first UTF-8, byte-order-mark or JSON syntax problem, as a reason; undefined if none. */
  error: string | undefined;
  /** The error is invalid UTF-8. */
  invalidUtf8: boolean;
  /** Lower bound of the tokens the rules count for the example (0 when not countable). */
  tokens: number;
}

const SPACES = Buffer.alloc(16 * 1024, 0x20);

/** Where the run of JSON whitespace (space, tab, "\n", "\r") from `start` ends (shared with lines.ts). */
export function whitespaceEnd(bytes: Uint8Array, start: number): number {
  let end = start;
  // Padding is mostly spaces: compared a block at a time (memcmp), ~10x faster than byte by byte.
  while (
    end + SPACES.length <= bytes.length &&
    bytes[end] === 0x20 &&
    Buffer.compare(SPACES, bytes.subarray(end, end + SPACES.length)) === 0
  ) {
    end += SPACES.length;
  }
  while (end < bytes.length) {
    const b = bytes[end];
    if (b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09) break;
    end++;
  }
  return end;
}

function hexOf(b: number): string {
  return `0x${b.toString(16).padStart(2, "0")}`;
}

/** Scans one line fed in pieces; see the file comment. */
export class LongLineScanner {
  /** True once the optimistic bound has exceeded the limit: the line's bytes are not needed. */
  crossed = false;
  /**
   * Where the text of each image part's "url" string starts (byte offsets in the line, a
   * byte-order mark included), in order; the caller empties it. rules.ts only checks that a URL
   * is a non-empty string, so lines.ts keeps just the start of a long one (a data: URL).
   */
  readonly imageUrls: number[] = [];
  /**
   * Where each value of a top-level key outside {@link READ_TOP_KEYS}, or of a key of the
   * top-level "input" object outside PREFERENCE_INPUT_KEYS, starts, then where it ends
   * (byte offsets in the line, a byte-order mark included; the end once known), in order; the
   * caller empties it. rules.ts reads such a value nowhere: checkChat reads only
   * `example.tools/functions/parallel_tool_calls/messages` and lists the other keys by name
   * (`unknownKeys`), checkPreference only the three preference keys, listing the others, and
   * checkExample tests `messages`, the preference keys, `prompt` and `completion` for presence
   * only (`!== undefined`); of `input`, checkPreference reads only `input.tools` and
   * `input.messages` and lists the other keys by name. So lines.ts keeps the key with a
   * stand-in value; a rule that starts reading another key must join CHAT_KEYS,
   * PREFERENCE_KEYS or PREFERENCE_INPUT_KEYS (the tests in lineAnalysis.spec.ts compare
   * compacted and whole-line results).
   */
  readonly unreadValues: number[] = [];
  /** Level of the object holding the unread value being read (its start is the last entry of `unreadValues`), or -1. */
  private unread = -1;
  /** Bytes of a first line's byte-order mark, which positions in messages leave out. */
  private skipped = 0;
  private pos = 0;
  private head: number[] | undefined = [];
  private state = VALUE;
  private jsonError: string | undefined;
  private utf8Error: string | undefined;
  private bomError = false;
  // UTF-8 sequence in progress.
  private need = 0;
  private cp = 0;
  private min = 0;
  private lead = 0;
  private leadByte = 0;
  // Nesting: one bit per level (1 = array), so a line of "[[[…" stays small; frames for the top levels.
  private depth = 0;
  private bits = new Uint8Array(64);
  private readonly frames: (Frame | undefined)[] = [];
  // The string or key being read.
  private isKey = false;
  private stringKind = OTHER;
  private stringBytes = 0;
  private capturing = false;
  private captured = "";
  private capturedBad = false;
  private hex = 0;
  private hexDigits = 0;
  private key = "";
  private literal = "";
  private literalAt = 0;
  private numberState = 0;
  // Committed lower bounds per message group, and whether each group is an array.
  private readonly groups = [0, 0, 0, 0];
  private readonly groupArrays = [false, false, false, false];
  private topKeys: Set<string> | undefined;
  private topRepeated = false;
  /**
   * Committed lower bounds of the tool definitions: top-level "tools", "functions", and
   * "input.tools". rules.ts (checkTools) counts such a value whenever it is a non-empty array,
   * as `countRepeatedText(JSON.stringify(value))`, and adds it to the example's context tokens
   * (checkChat: `conversation.tokens + toolTokens + TOKENS_REPLY_PRIMING`; checkPreference: the
   * input's tokens). JSON.stringify writes every key and string value that JSON.parse kept,
   * re-escaped (an escape is never shorter than the UTF-8 of what it stands for), so the decoded
   * UTF-8 bytes of those keys and strings ÷ 128 bound those tokens from below; an empty array or
   * a value that is not an array holds none. Each slot holds the last value of its key, as
   * JSON.parse keeps, and a repeated key inside an object keeps only its last member's bytes.
   *
   * The slots count in {@link bound} whenever the line is in the format that reads them, even
   * when its messages are not a non-empty array (rules.ts then returns 0 context tokens and an
   * error such as `"messages" is empty`): the line is invalid on the exact path too, and since
   * the definitions alone exceed every model's limit, no fix of the messages would make it fit,
   * so "has at least N tokens" names what really blocks it. As with message text, the
   * optimistic count takes every tool definition as counting; a contrived line whose
   * definitions sit under the other format's key ("tools" in a preference example) is refused
   * with the reason {@link refusal} gives for text that does not count.
   */
  private readonly tools = [0, 0, 0];
  /** Member tables of tool-definition objects, one per level, reused. */
  private readonly memberTables: Float64Array[] = [];

  constructor(
    private readonly tokenLimit: number,
    private readonly firstLine: boolean,
  ) {}

  /** Feeds the next bytes of the line (without "\n"). */
  push(bytes: Uint8Array): void {
    if (this.head !== undefined) {
      // The first three bytes decide about a byte-order mark, whatever the chunks.
      const take = Math.min(3 - this.head.length, bytes.length);
      this.head.push(...bytes.subarray(0, take));
      if (this.head.length < 3) return;
      this.startLine();
      bytes = bytes.subarray(take);
    }
    this.scan(bytes);
    this.checkCrossed();
  }

  private startLine(): void {
    const head = Uint8Array.from(this.head!);
    this.head = undefined;
    const bom = head.length === 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf;
    if (bom && this.firstLine) {
      this.skipped = 3;
      return; // positions count from after the BOM, as lineAnalysis.ts does
    }
    if (bom) {
      this.bomError = true;
      this.jsonError = ""; // nothing more to learn from the JSON
    }
    this.scan(head);
  }

  private scan(bytes: Uint8Array): void {
    for (let i = 0; i < bytes.length; i++) {
      if (this.need === 0 && (this.state <= AFTER || this.state === END)) {
        // Whitespace between tokens (a padded line can be all of it): no state changes.
        const end = whitespaceEnd(bytes, i);
        if (end > i) {
          i = end - 1;
          continue;
        }
      }
      if (this.state === STRING && this.need === 0 && !this.capturing && !this.jsonError) {
        const end = this.textRun(bytes, i);
        if (end > i) {
          i = end - 1;
          continue;
        }
      }
      const b = bytes[i];
      if (this.need > 0 || b >= 0x80) this.utf8(b, this.pos + i);
      if (this.jsonError !== undefined) continue;
      if (this.state === STRING && b >= 0x20 && b !== 0x22 && b !== 0x5c) {
        this.stringBytes++;
        if (this.capturing) this.capture(b);
        continue;
      }
      this.step(b, this.pos + i);
    }
    this.pos += bytes.length;
  }

  /**
   * Skips string text from `start` up to the next quote, backslash or control byte (or the last
   * whole UTF-8 sequence in `bytes`), checking it with simdutf; returns where it stopped.
   * The byte loop is ~10x slower on non-ASCII text.
   */
  private textRun(bytes: Uint8Array, start: number): number {
    let end = start;
    while (end < bytes.length) {
      const c = bytes[end];
      if (c === 0x22 || c === 0x5c || c < 0x20) break;
      end++;
    }
    if (end === bytes.length) {
      // Leave a sequence cut by the end of the piece to the byte loop.
      let lead = end - 1;
      while (lead > start && lead > end - 4 && (bytes[lead] & 0xc0) === 0x80) lead--;
      const b = bytes[lead];
      const length = b < 0x80 ? 1 : b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
      if (lead + length > end) end = lead;
    }
    if (end === start) return start;
    if (this.utf8Error === undefined && !isUtf8(bytes.subarray(start, end))) {
      for (let i = start; i < end && this.utf8Error === undefined; i++) {
        if (this.need > 0 || bytes[i] >= 0x80) this.utf8(bytes[i], this.pos + i);
      }
      // A sequence cut by the quote is left open: the byte loop reports it at the quote.
    }
    this.stringBytes += end - start;
    return end;
  }

  /** The verdict once the whole line has been fed. */
  finish(): LongLineVerdict {
    if (this.head !== undefined) this.startLine();
    if (this.need > 0) this.utf8Fail(this.lead, this.leadByte);
    if (this.utf8Error !== undefined)
      return { error: this.utf8Error, invalidUtf8: true, tokens: 0 };
    if (this.bomError) return { error: BOM_LINE_REASON, invalidUtf8: false, tokens: 0 };
    if (this.jsonError === undefined && this.state === NUMBER_STATE) this.numberEnd(this.pos);
    if (this.jsonError === undefined && this.state !== END) {
      this.jsonError = "the line ends before the JSON object does";
    }
    this.checkCrossed();
    if (this.jsonError !== undefined) {
      return {
        error: `is not valid JSON (${this.jsonError}); each line must hold one complete JSON object`,
        invalidUtf8: false,
        tokens: 0,
      };
    }
    return { error: undefined, invalidUtf8: false, tokens: this.bound() };
  }

  /** Why a line whose bytes were dropped (`crossed`) is refused, from its verdict. */
  refusal(verdict: LongLineVerdict): string {
    if (verdict.error !== undefined) return verdict.error;
    if (verdict.tokens > this.tokenLimit) {
      return (
        `has at least ${NUMBER.format(verdict.tokens)} tokens (counted from its text's size, not further), ` +
        `more than any model accepts per example (${NUMBER.format(this.tokenLimit)}); shorten it or split the conversation`
      );
    }
    // Only for contrived lines: text that looked countable is dropped by JSON.parse (a repeated
    // key) or does not count (a role the format does not allow, tool definitions under a key of
    // the other format, or a line with neither format's keys).
    return (
      `holds more message and tool text than any model accepts per example (${NUMBER.format(this.tokenLimit)} tokens), ` +
      "but a repeated key, an invalid role or a misplaced key keeps part of it from counting; remove repeated keys, fix the roles and keys and shorten it"
    );
  }

  private utf8(b: number, at: number): void {
    if (this.utf8Error !== undefined) return;
    if (this.need > 0) {
      if ((b & 0xc0) !== 0x80) {
        this.utf8Fail(this.lead, this.leadByte);
        return;
      }
      this.cp = (this.cp << 6) | (b & 0x3f);
      const cp = this.cp;
      if (--this.need === 0 && (cp < this.min || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff))
        this.utf8Fail(this.lead, this.leadByte);
      return;
    }
    this.lead = at;
    this.leadByte = b;
    if (b >= 0xc2 && b <= 0xdf) [this.need, this.min, this.cp] = [1, 0x80, b & 0x1f];
    else if (b >= 0xe0 && b <= 0xef) [this.need, this.min, this.cp] = [2, 0x800, b & 0x0f];
    else if (b >= 0xf0 && b <= 0xf4) [this.need, this.min, this.cp] = [3, 0x10000, b & 0x07];
    else this.utf8Fail(at, b);
  }

  private utf8Fail(at: number, b: number): void {
    this.need = 0;
    // The reason lineAnalysis.ts gives for the same bytes.
    this.utf8Error ??= invalidUtf8Reason(b, at);
  }

  private fail(b: number, at: number): void {
    const what =
      b > 0x20 && b < 0x7f ? `character '${String.fromCharCode(b)}'` : `byte ${hexOf(b)}`;
    this.jsonError = `unexpected ${what} at byte ${at + 1}`;
  }

  private capture(b: number): void {
    if (b >= 0x80 || this.captured.length >= MAX_CAPTURE) this.capturedBad = true;
    else this.captured += String.fromCharCode(b);
  }

  private step(b: number, at: number): void {
    const state = this.state;
    if (state === STRING) return this.stringControl(b, at);
    if (state === ESCAPE) return this.escape(b, at);
    if (state === HEX) return this.hexDigit(b, at);
    if (state === NUMBER_STATE) {
      if (this.number(b)) return;
      this.numberEnd(at);
      if (this.jsonError !== undefined) return;
      return this.step(b, at);
    }
    if (state === LITERAL) {
      if (b !== this.literal.charCodeAt(this.literalAt)) return this.fail(b, at);
      if (++this.literalAt === this.literal.length) this.valueEnd(at + 1);
      return;
    }
    if (b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09) return;
    switch (state) {
      case VALUE:
      case ARRAY_FIRST:
        if (b === 0x5d && state === ARRAY_FIRST) return this.close(true, b, at);
        return this.value(b, at);
      case KEY_FIRST:
      case KEY:
        if (b === 0x7d && state === KEY_FIRST) return this.close(false, b, at);
        if (b !== 0x22) return this.fail(b, at);
        return this.startString(true, at);
      case COLON:
        if (b !== 0x3a) return this.fail(b, at);
        this.state = VALUE;
        return;
      case AFTER: {
        const inArray = this.isArrayAt(this.depth - 1);
        if (b === 0x2c) this.state = inArray ? VALUE : KEY;
        else if (b === 0x5d || b === 0x7d) this.close(b === 0x5d, b, at);
        else this.fail(b, at);
        return;
      }
      default:
        this.fail(b, at); // END: something after the JSON value
    }
  }

  private value(b: number, at: number): void {
    const parent = this.depth <= 2 ? this.frames[this.depth - 1]?.kind : undefined;
    if (
      (parent === TOP && !READ_TOP_KEYS.has(this.key)) ||
      (parent === INPUT && !PREFERENCE_INPUT_KEYS.has(this.key))
    ) {
      this.unreadValues.push(this.skipped + at);
      this.unread = this.depth;
    }
    const slot = this.toolSlot(parent);
    if (slot >= 0) this.tools[slot] = 0; // JSON.parse keeps a repeated key's last value
    if (b === 0x22) this.startString(false, at);
    else if (b === 0x7b || b === 0x5b) this.open(b === 0x5b);
    else if (b === 0x2d || (b >= 0x30 && b <= 0x39)) {
      this.state = NUMBER_STATE;
      this.numberState = b === 0x2d ? 0 : b === 0x30 ? 1 : 2;
    } else if (b === 0x74 || b === 0x66 || b === 0x6e) {
      this.literal = b === 0x74 ? "true" : b === 0x66 ? "false" : "null";
      this.literalAt = 1;
      this.state = LITERAL;
    } else this.fail(b, at);
  }

  /** Advances the number grammar by one byte; false when `b` does not continue the number. */
  private number(b: number): boolean {
    const digit = b >= 0x30 && b <= 0x39;
    const s = this.numberState;
    // States: 0 after "-", 1 after a leading 0, 2 integer digits, 3 after ".", 4 fraction
    // digits, 5 after "e", 6 after the exponent's sign, 7 exponent digits.
    let next = -1;
    if (digit)
      next =
        s === 0
          ? b === 0x30
            ? 1
            : 2
          : s === 1
            ? -1
            : s === 3
              ? 4
              : s <= 5
                ? s === 5
                  ? 7
                  : s
                : 7;
    else if (b === 0x2e && (s === 1 || s === 2)) next = 3;
    else if ((b === 0x65 || b === 0x45) && (s === 1 || s === 2 || s === 4)) next = 5;
    else if ((b === 0x2b || b === 0x2d) && s === 5) next = 6;
    if (next < 0) return false;
    this.numberState = next;
    return true;
  }

  private numberEnd(at: number): void {
    const s = this.numberState;
    if (s === 1 || s === 2 || s === 4 || s === 7) this.valueEnd(at);
    else this.jsonError = `the number before byte ${at + 1} is incomplete`;
  }

  private startString(isKey: boolean, at: number): void {
    this.state = STRING;
    this.isKey = isKey;
    this.stringBytes = 0;
    this.captured = "";
    this.capturedBad = false;
    let kind = OTHER;
    const parent = this.frames[this.depth - 1];
    if (isKey) {
      if (parent?.kind === TOOL_PART) kind = TOOL_TEXT; // keys of tool definitions count too
    } else if (parent?.kind === TOOLS || parent?.kind === TOOL_PART) {
      kind = TOOL_TEXT;
    } else if (parent?.kind === MESSAGE) {
      kind = this.key === "content" ? COUNTED : this.key === "role" ? CAPTURED : OTHER;
    } else if (parent?.kind === PART) {
      kind = this.key === "text" ? COUNTED : this.key === "type" ? CAPTURED : OTHER;
    } else if (parent?.kind === FUNCTION && this.key === "arguments") {
      kind = COUNTED;
    } else if (parent?.kind === IMAGE && this.key === "url") {
      this.imageUrls.push(this.skipped + at + 1);
    }
    this.stringKind = kind;
    this.capturing = isKey || kind === CAPTURED;
  }

  private stringControl(b: number, at: number): void {
    if (b === 0x5c) this.state = ESCAPE;
    else if (b === 0x22) this.stringEnd(at);
    else this.jsonError = `control character ${hexOf(b)} in a string at byte ${at + 1}`;
  }

  private escape(b: number, at: number): void {
    const simple = '"\\/bfnrt'.indexOf(String.fromCharCode(b));
    if (b === 0x75) {
      this.state = HEX;
      this.hex = 0;
      this.hexDigits = 0;
      return;
    }
    if (simple < 0) return this.fail(b, at);
    this.state = STRING;
    this.stringBytes++;
    if (this.capturing) this.capture('"\\/\b\f\n\r\t'.charCodeAt(simple));
  }

  private hexDigit(b: number, at: number): void {
    const d =
      b >= 0x30 && b <= 0x39
        ? b - 0x30
        : (b | 0x20) >= 0x61 && (b | 0x20) <= 0x66
          ? (b | 0x20) - 0x57
          : -1;
    if (d < 0) return this.fail(b, at);
    this.hex = this.hex * 16 + d;
    if (++this.hexDigits < 4) return;
    this.state = STRING;
    const u = this.hex;
    // UTF-8 bytes of the code unit; a surrogate counts 2, so a pair is its 4 bytes and a lone
    // one (3 bytes as U+FFFD) is not overcounted.
    this.stringBytes += u < 0x80 ? 1 : u < 0x800 || (u >= 0xd800 && u <= 0xdfff) ? 2 : 3;
    if (this.capturing) this.capture(u < 0x80 ? u : 0x80);
  }

  private stringEnd(at: number): void {
    const frame = this.frames[this.depth - 1];
    if (this.isKey) {
      this.key = this.capturedBad ? "" : this.captured;
      this.noteKey(this.key);
      if (frame !== undefined && this.stringKind === TOOL_TEXT) this.startMember(frame);
      this.stringKind = OTHER;
      this.state = COLON;
      return;
    }
    if (frame !== undefined && this.stringKind === COUNTED) {
      frame.pending += Math.ceil(this.stringBytes / LONGEST_TOKEN_BYTES);
    } else if (frame !== undefined && this.stringKind === TOOL_TEXT) {
      frame.bytes += this.stringBytes;
    } else if (frame !== undefined && this.stringKind === CAPTURED) {
      frame.tag = this.capturedBad ? "" : this.captured;
    }
    this.stringKind = OTHER;
    this.valueEnd(at + 1);
  }

  /**
   * Starts the member of a tool-definition object whose key was just read. JSON.parse keeps only
   * the last member of a repeated key, so each member's bytes go to a bucket chosen by its key,
   * where the next member with a key of that bucket replaces them: the same key always lands in
   * the same bucket, so what a bucket holds is the last member of its key; keys that only share
   * a bucket lose bytes, which keeps the bound a lower bound. A key is told apart by its text when
   * captured (short ASCII) and by its decoded length otherwise.
   */
  private startMember(frame: Frame): void {
    this.endMember(frame);
    const id = this.capturedBad ? `#${this.stringBytes}` : this.captured;
    let hash = 0;
    for (let i = 0; i < id.length; i++) hash = (hash * 31 + id.charCodeAt(i)) | 0;
    frame.member = hash & (MEMBER_BUCKETS - 1);
    frame.bytes = this.stringBytes;
  }

  /** Moves the bytes of a tool-definition object's current member into its bucket. */
  private endMember(frame: Frame): void {
    if (frame.members === undefined || frame.member < 0) return;
    frame.settled += frame.bytes - frame.members[frame.member];
    frame.members[frame.member] = frame.bytes;
    frame.bytes = 0;
    frame.member = -1;
  }

  private noteKey(key: string): void {
    const frame = this.frames[this.depth - 1];
    if (frame === undefined || !RELEVANT_KEYS[frame.kind]?.includes(key)) return;
    if (frame.keys.has(key)) frame.repeated = true;
    frame.keys.add(key);
    if (frame.kind === TOP) this.topKeys = frame.keys;
    if (frame.kind === TOP && frame.repeated) this.topRepeated = true;
  }

  /** A value ends before byte `end` of the line (without a byte-order mark). */
  private valueEnd(end: number): void {
    this.state = this.depth === 0 ? END : AFTER;
    if (this.unread === this.depth) {
      this.unreadValues.push(this.skipped + end);
      this.unread = -1;
    }
  }

  private isArrayAt(level: number): boolean {
    return (this.bits[level >> 3] & (1 << (level & 7))) !== 0;
  }

  private open(isArray: boolean): void {
    const level = this.depth;
    if (level >> 3 >= this.bits.length) {
      const grown = new Uint8Array(this.bits.length * 2);
      grown.set(this.bits);
      this.bits = grown;
    }
    if (isArray) this.bits[level >> 3] |= 1 << (level & 7);
    else this.bits[level >> 3] &= ~(1 << (level & 7));
    if (level < MAX_FRAMES) {
      const kind = this.kindOf(isArray);
      const group =
        kind === MESSAGES
          ? this.groupOf()
          : kind === TOOLS
            ? this.toolSlot(this.frames[level - 1]?.kind)
            : (this.frames[level - 1]?.group ?? 0);
      if (kind === MESSAGES) this.groupArrays[group] = true;
      this.frames[level] = {
        kind,
        group,
        pending: 0,
        calls: 0,
        bytes: 0,
        members: kind === TOOL_PART && !isArray ? this.memberTable(level) : undefined,
        settled: 0,
        member: -1,
        tag: undefined,
        keys: new Set(),
        repeated: false,
      };
    }
    this.depth++;
    this.state = isArray ? ARRAY_FIRST : KEY_FIRST;
  }

  /** An empty member table for a tool-definition object at `level`. */
  private memberTable(level: number): Float64Array {
    const table = (this.memberTables[level] ??= new Float64Array(MEMBER_BUCKETS));
    return table.fill(0);
  }

  /** Which of {@link tools} the value of the current key is in `parent`, or -1. */
  private toolSlot(parent: number | undefined): number {
    if (parent === TOP) return this.key === "tools" ? 0 : this.key === "functions" ? 1 : -1;
    return parent === INPUT && this.key === "tools" ? 2 : -1;
  }

  private kindOf(isArray: boolean): number {
    if (this.depth === 0) return isArray ? OTHER : TOP;
    const parent = this.frames[this.depth - 1]?.kind ?? OTHER;
    const key = this.key;
    if (isArray && this.toolSlot(parent) >= 0) return TOOLS;
    if (parent === TOOLS || parent === TOOL_PART) return TOOL_PART;
    if (parent === TOP && isArray && GROUP_KEYS.includes(key)) return MESSAGES;
    if (parent === TOP && !isArray && key === "input") return INPUT;
    if (parent === INPUT && isArray && key === "messages") return MESSAGES;
    if (parent === MESSAGES && !isArray) return MESSAGE;
    if (parent === MESSAGE && isArray && key === "content") return PARTS;
    if (parent === PARTS && !isArray) return PART;
    if (parent === PART && !isArray && key === "image_url") return IMAGE;
    if (parent === MESSAGE && isArray && key === "tool_calls") return CALLS;
    if (parent === CALLS && !isArray) return CALL;
    if ((parent === CALL && key === "function") || (parent === MESSAGE && key === "function_call"))
      return isArray ? OTHER : FUNCTION;
    return OTHER;
  }

  private groupOf(): number {
    if (this.frames[this.depth - 1]?.kind === INPUT) return 1;
    return this.key === "messages" ? 0 : this.key === "preferred_output" ? 2 : 3;
  }

  private close(isArray: boolean, b: number, at: number): void {
    if (this.isArrayAt(this.depth - 1) !== isArray) return this.fail(b, at);
    this.checkCrossed(); // before text that does not count is let go (see the file comment)
    this.depth--;
    const frame = this.frames[this.depth];
    this.frames[this.depth] = undefined;
    const parent = this.frames[this.depth - 1];
    if (frame !== undefined && parent !== undefined) this.commit(frame, parent);
    this.valueEnd(at + 1);
  }

  /** Hands a closed frame's counted text to its parent, if the rules count it there. */
  private commit(frame: Frame, parent: Frame): void {
    const kept = !frame.repeated;
    switch (frame.kind) {
      case PART:
        if (kept && frame.tag === "text") parent.pending += frame.pending;
        break;
      case PARTS:
        parent.pending += frame.pending;
        break;
      case FUNCTION:
        if (kept && parent.kind === MESSAGE) parent.calls += frame.pending;
        else if (kept) parent.pending += frame.pending;
        break;
      case CALL:
        if (kept) parent.pending += frame.pending;
        break;
      case CALLS:
        parent.calls += frame.pending;
        break;
      case MESSAGE:
        if (kept && ROLES_BY_GROUP[frame.group].includes(frame.tag ?? "")) {
          parent.pending += frame.pending + (frame.tag === "assistant" ? frame.calls : 0);
        }
        break;
      case MESSAGES:
        this.groups[frame.group] += frame.pending;
        break;
      case INPUT:
        if (frame.repeated) this.groupArrays[1] = false;
        break;
      case TOOL_PART:
        this.endMember(frame);
        parent.bytes += frame.settled + frame.bytes;
        break;
      case TOOLS:
        this.tools[frame.group] = Math.ceil(frame.bytes / LONGEST_TOKEN_BYTES);
        break;
    }
  }

  /** Tokens counted so far if every open message and tool definition turns out to count. */
  private optimistic(): number {
    let total = this.groups[0] + this.groups[1] + this.groups[2] + this.groups[3];
    total += this.tools[0] + this.tools[1] + this.tools[2];
    let toolBytes = 0; // of the open tool definitions (at most one value is open)
    for (let level = 0; level < Math.min(this.depth, MAX_FRAMES); level++) {
      const frame = this.frames[level];
      if (frame === undefined) continue;
      total += frame.pending + frame.calls;
      toolBytes += frame.bytes + frame.settled;
    }
    if (this.state !== COLON && this.stringKind === COUNTED)
      total += Math.ceil(this.stringBytes / LONGEST_TOKEN_BYTES);
    if (this.stringKind === TOOL_TEXT) toolBytes += this.stringBytes;
    return total + Math.ceil(toolBytes / LONGEST_TOKEN_BYTES);
  }

  private checkCrossed(): void {
    if (!this.crossed && this.optimistic() > this.tokenLimit) this.crossed = true;
  }

  /** The lower bound for the example as rules.ts counts it (chat, or preference's context). */
  private bound(): number {
    const keys = this.topKeys;
    if (keys === undefined || this.topRepeated) return 0;
    const [chat, input, preferred, rejected] = this.groups;
    const [tools, functions, inputTools] = this.tools;
    if (keys.has("messages")) return (this.groupArrays[0] ? chat : 0) + tools + functions;
    const arrays = this.groupArrays;
    const messages =
      arrays[1] && arrays[2] && arrays[3] ? input + Math.max(preferred, rejected) : 0;
    return messages + inputTools;
  }
}
