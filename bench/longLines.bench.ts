/**
 * Peak memory and time on files of very long lines (issue 12: 256 MB for a 512 MB file of any
 * content): one line of ~60 MB of multilingual text, eight of them (a ~510 MB file); valid
 * examples padded with spaces to sizes the pre-scan cannot refuse (kept, compacted: 16 MB,
 * 63 MiB, and eight 63 MiB lines); and vision examples with four 10 MB images as data: URLs
 * (~53 MB a line, kept with a short stand-in for each URL), one and eight of them; and lines
 * whose 63 MiB are an unknown key's string, one and eight of them, kept with 0 for that value
 * (peak RSS before: 289–311 MB for one, 637–678 MB for eight; after: 104 MB and 138 MB); and
 * a line whose 63 MiB are a tool's description, refused by the pre-scan since it counts tool
 * definitions (before: 494 MB, 3.1 s, kept and tokenized; after: 116 MB, 0.5 s).
 * `--quick` uses 12 MB text lines, 9 MB padded lines, 3 MB images and a 9 MiB unknown key and tool.
 */
import { randomBytes } from "node:crypto";
import { createWriteStream, existsSync, statSync } from "node:fs";
import { once } from "node:events";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runValidateChild } from "./child";
import { multilingualLines } from "./multilingual";
import type { BenchOptions, BenchTable } from "./types";

/** One user message of about `bytes` of multilingual text (the generator's message texts joined). */
function longLine(bytes: number): string {
  const texts: string[] = [];
  let size = 0;
  for (const line of multilingualLines(23)) {
    for (const m of (JSON.parse(line) as { messages: { content?: unknown }[] }).messages) {
      if (typeof m.content !== "string") continue;
      texts.push(m.content);
      size += Buffer.byteLength(m.content) + 1;
    }
    if (size >= bytes) break;
  }
  const messages = [
    { role: "user", content: texts.join(" ") },
    { role: "assistant", content: "ok" },
  ];
  return JSON.stringify({ messages });
}

/** A valid example padded with `bytes` of spaces between its JSON tokens. */
function paddedLine(bytes: number): string {
  return `{"messages": [{"role": "user", "content": "Hi"},${" ".repeat(bytes)}{"role": "assistant", "content": "Hello"}]}`;
}

/** A valid example with `bytes` of text under a key the rules do not read. */
function unknownKeyLine(bytes: number): string {
  const messages = [
    { role: "user", content: "Hi" },
    { role: "assistant", content: "Hello" },
  ];
  return JSON.stringify({ messages, metadata: "m".repeat(bytes) });
}

/** A valid example whose tool definition has a description of about `bytes` (words). */
function toolLine(bytes: number): string {
  const messages = [
    { role: "user", content: "Weather in Lisbon?" },
    { role: "assistant", content: "Sunny, 24 °C." },
  ];
  const description = "Forecast for a city, by day. ".repeat(Math.ceil(bytes / 29));
  const parameters = { type: "object", properties: { city: { type: "string" } } };
  const tools = [{ type: "function", function: { name: "get_weather", description, parameters } }];
  return JSON.stringify({ messages, tools });
}

/** A vision example: a question and `images` data: URLs of `imageBytes` random bytes each. */
function imageLine(images: number, imageBytes: number): string {
  const content: object[] = [{ type: "text", text: "What is in these pictures?" }];
  for (let i = 0; i < images; i++) {
    const url = `data:image/jpeg;base64,${randomBytes(imageBytes).toString("base64")}`;
    content.push({ type: "image_url", image_url: { url } });
  }
  const messages = [
    { role: "user", content },
    { role: "assistant", content: "Four pictures of cats." },
  ];
  return JSON.stringify({ messages });
}

async function writeLines(path: string, line: string, count: number): Promise<void> {
  const size = (Buffer.byteLength(line) + 1) * count;
  if (existsSync(path) && statSync(path).size === size) return;
  const out = createWriteStream(path);
  for (let i = 0; i < count; i++) {
    if (!out.write(`${line}\n`)) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
}

/** Runs the cases; see bench/README.md for the latest numbers. */
export async function run({ quick, log }: BenchOptions): Promise<BenchTable[]> {
  const mb = quick ? 12 : 60;
  const line = longLine(mb * 2 ** 20);
  const paddedMiB = quick ? 9 : 63;
  const padded = paddedLine(paddedMiB * 2 ** 20);
  const imageMB = quick ? 3 : 10; // 4 × 3 MB is over 8 MiB as base64: pre-scanned too
  // Random bytes: the same line whatever the run, once written (files are reused when present).
  const images = (): string => imageLine(4, imageMB * 2 ** 20);
  const many = quick ? 4 : 8;
  const cases: [string, string, string | (() => string), number][] = [
    [`single ${mb} MB line`, `aoift-long-1x${mb}.jsonl`, line, 1],
    [
      `${quick ? 4 : 8} × ${mb} MB lines`,
      `aoift-long-${quick ? 4 : 8}x${mb}.jsonl`,
      line,
      quick ? 4 : 8,
    ],
    [
      `padded valid line, ${quick ? 9 : 16} MB`,
      `aoift-long-padded-${quick ? 9 : 16}.jsonl`,
      paddedLine((quick ? 9 : 16) * 2 ** 20),
      1,
    ],
    [`padded valid line, ${paddedMiB} MiB`, `aoift-long-padded-1x${paddedMiB}.jsonl`, padded, 1],
    [
      `${many} × padded valid lines, ${paddedMiB} MiB`,
      `aoift-long-padded-${many}x${paddedMiB}.jsonl`,
      padded,
      many,
    ],
    [`4 × ${imageMB} MB images (data: URLs)`, `aoift-long-images-1x${imageMB}.jsonl`, images, 1],
    [
      `${many} × lines of 4 × ${imageMB} MB images`,
      `aoift-long-images-${many}x${imageMB}.jsonl`,
      images,
      many,
    ],
    [
      `unknown key of ${paddedMiB} MiB`,
      `aoift-long-unknown-1x${paddedMiB}.jsonl`,
      () => unknownKeyLine(paddedMiB * 2 ** 20),
      1,
    ],
    [
      `${many} × unknown keys of ${paddedMiB} MiB`,
      `aoift-long-unknown-${many}x${paddedMiB}.jsonl`,
      () => unknownKeyLine(paddedMiB * 2 ** 20),
      many,
    ],
    [
      `tool description of ${paddedMiB} MiB`,
      `aoift-long-tool-1x${paddedMiB}.jsonl`,
      () => toolLine(paddedMiB * 2 ** 20),
      1,
    ],
  ];
  const rows: (string | number)[][] = [];
  for (const [name, file, text, count] of cases) {
    const path = join(tmpdir(), file);
    log(`  generating ${name} at ${path} (reused when present)`);
    await writeLines(path, typeof text === "string" ? text : text(), count);
    log(`  validating ${name}`);
    const r = runValidateChild("validate", path, { AOIFT_CACHE_DIR: "off" });
    const size = statSync(path).size / 2 ** 20;
    rows.push([
      name,
      size.toFixed(1),
      (r.ms / 1000).toFixed(2),
      r.peakRssMB.toFixed(0),
      r.valid ? "valid" : `${r.errorCount} errors`,
    ]);
  }
  return [
    {
      title: "Validator on very long lines",
      columns: ["file", "MB", "seconds", "peak RSS MB", "verdict"],
      rows,
      notes: [
        "Each file is validated in its own child process like `npm run validate` (node scripts/launch.js, 2 worker threads from 4 MB on).",
        "Lines over 65,536 × 128 bytes are pre-scanned (lib/trainingData/longLines.ts); those whose text is over the token limit are refused without being kept.",
        "A pre-scanned line that is kept is kept compacted (lib/trainingData/lines.ts): no JSON whitespace outside strings, image URLs cut to their first 64 bytes, and 0 for the value of a top-level key the rules do not read.",
      ],
    },
  ];
}
